// The built-in actions, registered before any plugin (source "builtin").
import type { AnyActionDefinition } from '../define.js';
import { confirmEditAction } from './confirm-edit.js';
import { controlDelayAction } from './control-delay.js';
import { dataJsonAction } from './data-json.js';
import { dataTemplateAction } from './data-template.js';
import { httpRequestAction } from './http-request.js';
import { inputChoiceAction } from './input-choice.js';
import { inputTextAction } from './input-text.js';
import { llmChooseAction } from './llm-choose.js';
import { llmCompleteAction } from './llm-complete.js';
import { outputConsoleAction } from './output-console.js';
import { outputFileAction } from './output-file.js';

export const builtinActions: AnyActionDefinition[] = [
  inputTextAction,
  inputChoiceAction,
  confirmEditAction,
  outputConsoleAction,
  outputFileAction,
  httpRequestAction,
  dataTemplateAction,
  dataJsonAction,
  llmCompleteAction,
  llmChooseAction,
  controlDelayAction,
];

export {
  confirmEditAction,
  controlDelayAction,
  dataJsonAction,
  dataTemplateAction,
  httpRequestAction,
  inputChoiceAction,
  inputTextAction,
  llmChooseAction,
  llmCompleteAction,
  outputConsoleAction,
  outputFileAction,
};
