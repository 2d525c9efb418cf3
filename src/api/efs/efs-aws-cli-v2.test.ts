// The EFS API driven by the real aws CLI v2.
import { AWS_CLIS } from '../testing/aws-cli.ts';
import { efsCliScenario } from './efs-cli-scenario.ts';

efsCliScenario(AWS_CLIS[0]);
