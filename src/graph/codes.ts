// The stable problem and error codes of the graph module. Callers and tests check these, never message text.

export const GraphCodes = {
  // Reading files (GraphParseError codes).
  FILE_NOT_FOUND: 'the workflow file does not exist',
  FILE_UNREADABLE: 'the workflow file exists but cannot be read',
  FILE_NOT_UTF8: 'the workflow file is not UTF-8 text',
  PARSE_SYNTAX: 'the text is not valid JSON5 (with line and column)',
  FILE_WRITE_FAILED: 'a file could not be written',
  FILE_EXISTS: 'a file that must not be replaced exists already (writeFileAtomic with overwrite: false)',

  // File shape.
  FILE_NOT_OBJECT: 'the top level is not an object',
  NODES_NOT_OBJECT: '`nodes` is missing or not an object',
  EDGES_NOT_ARRAY: '`edges` is missing or not an array',
  DUPLICATE_KEY: 'a key appears twice in one object (for `nodes`: a node id defined twice)',
  NODE_ID_EMPTY: 'a node id is the empty string',
  NODE_NOT_OBJECT: 'a node is not an object',
  NODE_ACTION_MISSING: 'a node has no `action`',
  ACTION_NAME_INVALID: 'an action name is not "namespace.name"',
  EDGE_NOT_OBJECT: 'an edge is not an object',
  FIELD_REQUIRED: 'a required field is missing',
  FIELD_TYPE: 'a field has the wrong type',
  FIELD_INVALID: 'a field has the right type but a value out of range or not allowed',
  UNKNOWN_FIELD: 'a node, edge or retry policy has a field the format does not define',
  CONDITION_INVALID: 'an edge `when` condition is malformed',
  CONDITION_REGEX_INVALID: 'a `matches` condition is not a valid regular expression',

  // Graph structure.
  EDGE_DANGLING: 'an edge starts or ends at a node that does not exist',
  EDGE_DUPLICATE: 'the same from -> to edge appears twice',
  EDGE_SELF_LOOP: 'an edge goes from a node to itself',
  GRAPH_CYCLE: 'the edges form a cycle (workflows are acyclic)',
  NODE_UNREACHABLE: 'warning: no path from a root (a node without predecessors) reaches the node',
  NODE_ISOLATED: 'warning: a node has no edges in a workflow of several nodes',
  NODE_DISCONNECTED: 'warning: a group of nodes is not connected to the rest of the workflow',

  // Against an action catalog.
  ACTION_UNKNOWN: 'no registered action has this name',
  NODE_DATA_INVALID: "a node's data fails its action's data schema",

  // Patches.
  PATCH_OP_INVALID: 'a patch operation is malformed',
  PATCH_NODE_EXISTS: 'addNode with an id that is already taken',
  PATCH_NODE_MISSING: 'an operation names a node that does not exist',
  PATCH_EDGE_EXISTS: 'addEdge for an edge that already exists',
  PATCH_EDGE_MISSING: 'removeEdge for an edge that does not exist',
} as const;

export type GraphCode = keyof typeof GraphCodes;
