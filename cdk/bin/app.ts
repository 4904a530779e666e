import { App } from 'aws-cdk-lib';
import { buildAttune } from '../lib/attune-app';
import { readConfig } from '../lib/config';

const app = new App();
buildAttune(app, readConfig(app.node));
