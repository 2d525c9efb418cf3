import { describeCliSignatureCases } from '../test-support/cli-signature-cases.ts';

// Debian's awscli package: aws-cli/2.x.
describeCliSignatureCases('aws CLI v2 (/usr/bin/aws)', '/usr/bin/aws', /^aws-cli\/2\./);
