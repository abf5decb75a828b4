/**
 * The ThinkScope server process. Started by the extension over IPC, or by anyone as
 * `node out/server.mjs --stdio`.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/server';

// Anything printed to stdout would corrupt a --stdio JSON-RPC stream: route console output to stderr.
console.log = console.error;
console.info = console.error;

startServer(createConnection(ProposedFeatures.all));
