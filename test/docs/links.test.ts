/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports */
/**
 * The documentation's links: every relative link and `#anchor` in the Markdown files a reader
 * finds (README, CONTRIBUTING, CHANGELOG, SECURITY, BENCHMARKS, docs/) leads to a file that exists
 * and to a heading of it, as GitHub names headings; external links are well-formed (they are not
 * fetched). The nodes' and credentials' documentation URLs point into this repository on GitHub,
 * so they are resolved against the same files. The README stays under 350 lines.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, normalize } from 'path';

const ROOT = join(__dirname, '..', '..');

/** A Markdown file's text, or any file's existence, by path from the repository's root. */
interface Tree {
	markdown(path: string): string | undefined;
	exists(path: string): boolean;
}

const disk: Tree = {
	markdown: (path) => (path.endsWith('.md') && existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined),
	exists: (path) => existsSync(join(ROOT, path)),
};

/** The text with fenced code blocks and inline code spans blanked out (lines are kept). */
function withoutCode(text: string): string {
	const noFences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '));
	return noFences.replace(/`[^`]+`/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** GitHub's anchor for a heading's text: lower case, punctuation but `-` and `_` removed, spaces to `-`. */
export function slug(heading: string): string {
	const text = heading
		.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/`/g, '')
		.replace(/[*]/g, '');
	return text
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings, duplicates numbered `-1`, `-2` as GitHub does. */
export function anchors(text: string): Set<string> {
	const fences = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '));
	const seen = new Map<string, number>();
	const result = new Set<string>();
	for (const line of fences.split('\n')) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const base = slug(heading[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		result.add(count === 0 ? base : `${base}-${count}`);
	}
	return result;
}

/** Link targets of a Markdown text: inline links and images, and reference definitions. */
export function linkTargets(text: string): string[] {
	const prose = withoutCode(text);
	const targets: string[] = [];
	for (const match of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) targets.push(match[1]);
	for (const match of prose.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) targets.push(match[1]);
	for (const match of prose.matchAll(/<(https?:\/\/[^>\s]+)>/g)) targets.push(match[1]);
	return targets;
}

/** This repository's address on GitHub, from package.json. */
const repository = (() => {
	const { repository: repo } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
	return repo.url.replace(/^git\+/, '').replace(/\.git$/, '');
})();

/** A file and anchor of the repository that an https URL of it names, or undefined for another site. */
function inRepository(url: URL): { path: string; anchor: string } | undefined {
	const address = `${url.origin}${url.pathname}`.replace(/\/$/, '');
	const anchor = decodeURIComponent(url.hash.slice(1));
	if (address === repository) return { path: 'README.md', anchor };
	const file = /^\/(?:blob|tree)\/main\/(.+)$/.exec(address.slice(repository.length));
	if (address.startsWith(`${repository}/`) && file) return { path: decodeURIComponent(file[1]), anchor };
	return undefined;
}

/** What is wrong with one link target found in `from` (a path from the repository's root). */
export function checkTarget(tree: Tree, from: string, target: string): string | undefined {
	if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
		if (target.startsWith('mailto:')) return /^mailto:[^@\s]+@[^@\s]+\.[a-z]+$/i.test(target) ? undefined : `malformed e-mail link ${target}`;
		let url: URL;
		try {
			url = new URL(target);
		} catch {
			return `malformed URL ${target}`;
		}
		if (!['http:', 'https:'].includes(url.protocol) || !url.hostname.includes('.')) return `malformed URL ${target}`;
		const local = inRepository(url);
		return local ? checkFile(tree, from, local.path, local.anchor, target) : undefined;
	}
	const [pathPart, ...hash] = target.split('#');
	const anchor = decodeURIComponent(hash.join('#'));
	const path = pathPart === '' ? from : normalize(join(dirname(from), decodeURIComponent(pathPart)));
	if (path.startsWith('..')) return `${target} leaves the repository`;
	return checkFile(tree, from, path, anchor, target);
}

function checkFile(tree: Tree, from: string, path: string, anchor: string, target: string): string | undefined {
	if (!tree.exists(path)) return `${target}: no file ${path}`;
	if (!anchor) return undefined;
	const text = tree.markdown(path);
	if (text === undefined) return `${target}: ${path} is not Markdown, so it has no #${anchor}`;
	return anchors(text).has(anchor) ? undefined : `${target}: ${path} has no heading #${anchor}`;
}

/** Every problem with the links of the given Markdown files. */
export function problems(tree: Tree, files: string[]): string[] {
	return files.flatMap((file) => linkTargets(tree.markdown(file) ?? '').flatMap((target) => {
		const problem = checkTarget(tree, file, target);
		return problem ? [`${file}: ${problem}`] : [];
	}));
}

const documents = [
	...['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'SECURITY.md', 'BENCHMARKS.md'].filter((file) => existsSync(join(ROOT, file))),
	...readdirSync(join(ROOT, 'docs'))
		.filter((file) => file.endsWith('.md'))
		.map((file) => `docs/${file}`),
];

function filesUnder(dir: string, pattern: RegExp): string[] {
	return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return filesUnder(path, pattern);
		return pattern.test(entry.name) ? [path] : [];
	});
}

describe('documentation links', () => {
	it('covers the README, CONTRIBUTING, CHANGELOG, BENCHMARKS and the docs pages', () => {
		expect(documents).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'BENCHMARKS.md', 'docs/operations.md']));
		expect(documents.flatMap((file) => linkTargets(disk.markdown(file) ?? '')).length).toBeGreaterThan(100);
	});

	it.each(documents)('%s: every link leads to a file and heading that exist', (file) => {
		expect(problems(disk, [file])).toEqual([]);
	});

	it('every page under docs/ is linked from the README and links back to it', () => {
		const readme = linkTargets(disk.markdown('README.md') ?? '').map((target) => target.split('#')[0]);
		for (const page of documents.filter((file) => file.startsWith('docs/'))) {
			expect({ page, fromReadme: readme.includes(page) }).toEqual({ page, fromReadme: true });
			const back = linkTargets(disk.markdown(page) ?? '').some((target) => target.split('#')[0] === '../README.md');
			expect({ page, linksBack: back }).toEqual({ page, linksBack: true });
		}
	});

	it("the nodes' and credentials' documentation URLs lead to a file and heading of this repository", () => {
		const sources = [...filesUnder('credentials', /\.ts$/), ...filesUnder('nodes', /\.(ts|json)$/)];
		const urls = sources.flatMap((file) =>
			[...readFileSync(join(ROOT, file), 'utf8').matchAll(/https:\/\/github\.com\/[^\s'"`)]+/g)]
				.map((match) => match[0])
				.filter((url) => url.startsWith(repository))
				.map((url) => ({ file, url })),
		);
		expect(urls.length).toBeGreaterThanOrEqual(7);
		expect(urls.flatMap(({ file, url }) => {
			const problem = checkTarget(disk, file, url);
			return problem ? [`${file}: ${problem}`] : [];
		})).toEqual([]);
	});

	it('the README stays under 350 lines', () => {
		expect((disk.markdown('README.md') ?? '').split('\n').length).toBeLessThan(350);
	});
});

describe('the link checker', () => {
	const files: Record<string, string> = {
		'README.md': ['# Title', '', '## Try it locally', '## Try it locally', '## `npm start`: try it (MCP)', '[ok](docs/a.md#a-heading)'].join('\n'),
		'docs/a.md': ['# A heading', '', '```sh', '# not a heading', '```', '[back](../README.md#try-it-locally-1)'].join('\n'),
		'LICENSE': 'MIT',
	};
	const tree: Tree = {
		markdown: (path) => (path.endsWith('.md') ? files[path] : undefined),
		exists: (path) => path in files,
	};

	it("names headings as GitHub does, duplicates numbered, code blocks' lines ignored", () => {
		expect([...anchors(files['README.md'])]).toEqual(['title', 'try-it-locally', 'try-it-locally-1', 'npm-start-try-it-mcp']);
		expect([...anchors(files['docs/a.md'])]).toEqual(['a-heading']);
		expect(slug('Retries, timeouts and concurrency')).toBe('retries-timeouts-and-concurrency');
		expect(slug('Many Contexts: the trigger')).toBe('many-contexts-the-trigger');
		expect(slug('snake_case & kebab-case')).toBe('snake_case--kebab-case');
	});

	it('accepts links that resolve', () => {
		expect(problems(tree, ['README.md', 'docs/a.md'])).toEqual([]);
		expect(checkTarget(tree, 'docs/a.md', '../LICENSE')).toBeUndefined();
		expect(checkTarget(tree, 'README.md', '#npm-start-try-it-mcp')).toBeUndefined();
		expect(checkTarget(tree, 'README.md', 'https://docs.n8n.io/integrations/')).toBeUndefined();
		expect(checkTarget(tree, 'x.ts', `${repository}#try-it-locally`)).toBeUndefined();
		expect(checkTarget(tree, 'x.ts', `${repository}/blob/main/docs/a.md#a-heading`)).toBeUndefined();
	});

	it('finds a broken file, a broken anchor and a malformed URL', () => {
		expect(checkTarget(tree, 'README.md', 'docs/b.md')).toBe('docs/b.md: no file docs/b.md');
		expect(checkTarget(tree, 'README.md', 'docs/a.md#no-such-heading')).toBe('docs/a.md#no-such-heading: docs/a.md has no heading #no-such-heading');
		expect(checkTarget(tree, 'README.md', '#not-a-heading')).toBe('#not-a-heading: README.md has no heading #not-a-heading');
		expect(checkTarget(tree, 'docs/a.md', '../README.md#try-it-locally-2')).toBe('../README.md#try-it-locally-2: README.md has no heading #try-it-locally-2');
		expect(checkTarget(tree, 'README.md', 'LICENSE#x')).toBe('LICENSE#x: LICENSE is not Markdown, so it has no #x');
		expect(checkTarget(tree, 'README.md', 'https://exa mple.com')).toBe('malformed URL https://exa mple.com');
		expect(checkTarget(tree, 'README.md', 'https://localhost/x')).toBe('malformed URL https://localhost/x');
		expect(checkTarget(tree, 'x.ts', `${repository}#gone`)).toBe(`${repository}#gone: README.md has no heading #gone`);
		expect(checkTarget(tree, 'x.ts', `${repository}/blob/main/docs/gone.md`)).toBe(`${repository}/blob/main/docs/gone.md: no file docs/gone.md`);
		expect(problems(tree, ['docs/a.md']).length).toBe(0);
	});

	it('reads links in prose, not in code', () => {
		expect(linkTargets('[a](x.md) `[b](y.md)` ![c](img.png "title")\n```\n[d](z.md)\n```\n[e]: ref.md\n<https://n8n.io/x>')).toEqual([
			'x.md',
			'img.png',
			'ref.md',
			'https://n8n.io/x',
		]);
	});
});
