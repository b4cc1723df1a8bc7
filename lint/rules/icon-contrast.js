'use strict';
// Whether a node's or credential's SVG icon stands out on n8n's light and dark node backgrounds.
const fs = require('fs');
const path = require('path');
const { classMemberValue, isCredentialClass, isCredentialsFile, isNodeClass, isNodeFile, nodeDescription, propertyValue, stringValue } = require('../ast');

const BACKGROUNDS = { light: [255, 255, 255], dark: [0x2b, 0x2b, 0x2b] };
const NAMED = { black: [0, 0, 0], white: [255, 255, 255], red: [255, 0, 0], green: [0, 128, 0], blue: [0, 0, 255], gray: [128, 128, 128], grey: [128, 128, 128] };

/** A paint value as [r, g, b]; null for no paint (none, a gradient reference) or one not understood. */
function parseColor(raw) {
	let value = raw.trim().toLowerCase();
	const variable = /^var\(\s*--[^,)]+(?:,\s*([^)]+))?\)$/.exec(value);
	if (variable) value = variable[1] ? variable[1].trim() : 'black';
	// An SVG shown as an image inherits no colour from the page: currentColor is black.
	if (value === 'currentcolor') return NAMED.black;
	if (NAMED[value]) return NAMED[value];
	let hex = /^#([0-9a-f]{3,8})$/.exec(value);
	if (hex) {
		hex = hex[1].length <= 4 ? [...hex[1].slice(0, 3)].map((digit) => digit + digit).join('') : hex[1].slice(0, 6);
		return [0, 2, 4].map((start) => parseInt(hex.slice(start, start + 2), 16));
	}
	const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(value);
	return rgb ? rgb.slice(1, 4).map(Number) : null;
}

/** Every fill, stroke and stop colour the SVG declares (attributes, style attributes, <style>). */
function paints(svg) {
	const found = [...svg.matchAll(/(?:^|[\s;{"'])(fill|stroke|stop-color)\s*(?:=\s*["']|:\s*)([^"';}>]+)/g)].map((match) => ({ kind: match[1], color: parseColor(match[2]) }));
	// Without any fill declaration, SVG shapes are filled black.
	if (!found.some((paint) => paint.kind === 'fill')) found.push({ kind: 'fill', color: NAMED.black });
	return found.map((paint) => paint.color).filter(Boolean);
}

const luminance = ([r, g, b]) => {
	const channel = (value) => {
		const c = value / 255;
		return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
};

/** WCAG contrast ratio of two colours, from 1 to 21. */
function contrast(one, other) {
	const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
	return (light + 0.05) / (dark + 0.05);
}

/** The icon files to check, each with the backgrounds it is shown on. */
function iconFiles(icon) {
	const single = stringValue(icon);
	if (single !== null) return [{ node: icon, ref: single, themes: ['light', 'dark'] }];
	return ['light', 'dark']
		.map((theme) => ({ node: propertyValue(icon, theme), ref: stringValue(propertyValue(icon, theme)), themes: [theme] }))
		.filter((entry) => entry.ref !== null);
}

module.exports = {
	meta: {
		type: 'suggestion',
		docs: { description: 'SVG icons have enough contrast on n8n\'s light and dark node backgrounds' },
		messages: {
			lowContrast: 'The icon {{file}} has a contrast of {{ratio}}:1 at best on the {{theme}} background ({{background}}), below {{minimum}}:1.',
		},
		schema: [{ type: 'object', properties: { minimum: { type: 'number', minimum: 1 } }, additionalProperties: false }],
	},
	create(context) {
		const minimum = (context.options[0] && context.options[0].minimum) || 1.5;
		const nodeFile = isNodeFile(context.filename);
		if (!nodeFile && !isCredentialsFile(context.filename)) return {};
		return {
			ClassDeclaration(classNode) {
				let icon = null;
				if (nodeFile && isNodeClass(classNode)) icon = propertyValue(nodeDescription(classNode), 'icon');
				else if (!nodeFile && isCredentialClass(classNode)) icon = classMemberValue(classNode, 'icon');
				if (!icon) return;
				for (const { node, ref, themes } of iconFiles(icon)) {
					if (!ref.startsWith('file:') || !ref.endsWith('.svg')) continue;
					const file = path.resolve(path.dirname(context.filename), ref.slice('file:'.length));
					if (!fs.existsSync(file)) continue;
					const svg = fs.readFileSync(file, 'utf8');
					const colors = paints(svg);
					// An icon made of an embedded picture, or painted only with gradients without stops, is not judged.
					if (/<image\b/.test(svg) || colors.length === 0) continue;
					for (const theme of themes) {
						const background = BACKGROUNDS[theme];
						const best = Math.max(...colors.map((color) => contrast(color, background)));
						if (best < minimum) {
							context.report({
								node,
								messageId: 'lowContrast',
								data: { file: ref.slice('file:'.length), ratio: best.toFixed(2), theme, background: theme === 'light' ? '#ffffff' : '#2b2b2b', minimum: String(minimum) },
							});
						}
					}
				}
			},
		};
	},
};
