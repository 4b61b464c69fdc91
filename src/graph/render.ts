// Renderings of a workflow for people and tools: ASCII for terminals, Mermaid for GitHub, DOT for Graphviz.
export { renderAscii, type AsciiOptions } from './render-ascii.js';
export { mermaidText, renderMermaid } from './render-mermaid.js';
export { dotString, renderDot } from './render-dot.js';
