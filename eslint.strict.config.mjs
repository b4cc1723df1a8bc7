// `npm run lint`: n8n's default configuration (eslint.config.mjs, which `n8n-node lint` requires
// unchanged in strict mode) plus this package's own rules: n8n's repository rules for community
// nodes that the published plugin does not hold yet (lint/README.md).
import config from './eslint.config.mjs';
import netgraph from './lint/index.js';

export default [...config, ...netgraph.configs.strict];
