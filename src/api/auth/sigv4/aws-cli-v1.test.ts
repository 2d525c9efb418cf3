import { describeCliSignatureCases } from '../test-support/cli-signature-cases.ts';

// The `aws` found on PATH is the pip-installed aws-cli/1.x (botocore).
describeCliSignatureCases('aws CLI v1 (aws on PATH)', 'aws', /^aws-cli\/1\./);
