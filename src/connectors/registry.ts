// The explicit list of connectors this package ships: one import and one entry per connector.
// Adding a connector means adding its folder and one line here; nothing else branches on brand.
import type { ConnectorRegistry } from '../core/config.js';
import { activeDirectoryConnector } from './active-directory/index.js';
import { awsIlmConnector } from './aws-ilm/index.js';
import { entraConnector } from './entra-id/index.js';
import { githubConnector } from './github/index.js';
import { googleWorkspaceConnector } from './google-workspace/index.js';
import { ldapConnector } from './ldap/index.js';
import { localConnector } from './local/index.js';
import { oktaConnector } from './okta/index.js';
import { scimConnector } from './scim/index.js';
import { serviceNowConnector } from './servicenow/index.js';
import { slackConnector } from './slack/index.js';
import { zoomConnector } from './zoom/index.js';

export const builtInConnectors: ConnectorRegistry = [
  scimConnector,
  awsIlmConnector,
  localConnector,
  zoomConnector,
  ldapConnector,
  activeDirectoryConnector,
  googleWorkspaceConnector,
  entraConnector,
  oktaConnector,
  serviceNowConnector,
  slackConnector,
  githubConnector,
];
