// Runs @n8n/scan-community-package's own analyzer (the ESLint set n8n's community-package scan
// applies) on a directory, and prints its verdict as JSON. ESM, so the jest test spawns it.
const [directory, patterns] = process.argv.slice(2);
const { analyzePackage } = await import('@n8n/scan-community-package/scanner/scanner.mjs');
const result = await analyzePackage(directory, JSON.parse(patterns));
process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details }));
