/** The pieces of a token, six characters or longer, that would give part of it away. */
export function tokenFragments(token: string): string[] {
	return Array.from({ length: Math.max(0, token.length - 5) }, (_, start) => token.slice(start, start + 6));
}

/** Every piece of the token, six characters or longer, found anywhere in `value` as JSON, in any letter case. */
export function leakedFragments(value: unknown, token: string): string[] {
	const text = JSON.stringify(value).toLowerCase();
	return tokenFragments(token).filter((fragment) => text.includes(fragment.toLowerCase()));
}
