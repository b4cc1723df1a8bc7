// n8n loads this package through the "n8n" section of package.json (dist/ paths), so nothing is
// exported here and this file is not published.
module.exports = {};
