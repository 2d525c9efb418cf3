export type AccessKeyStatus = 'Active' | 'Inactive';

export interface IamUser {
  userName: string;
  userId: string;
  arn: string;
  createDate: string;
}

export interface IamGroup {
  groupName: string;
  groupId: string;
  arn: string;
  createDate: string;
}

export interface AccessKeyInfo {
  accessKeyId: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: string;
}

/** Returned once, at creation: the only time the secret leaves the store through the CLI. */
export interface NewAccessKey extends AccessKeyInfo {
  secretAccessKey: string;
}

export interface ActiveKey {
  userName: string;
  secretAccessKey: string;
}

/** Who an inline policy is attached to. */
export type PolicyOwner = { user: string } | { group: string };
