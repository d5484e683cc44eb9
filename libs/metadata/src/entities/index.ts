import { BucketConfigEntity } from './bucket-config.entity';
import { BucketEntity } from './bucket.entity';
import { IamAccessKeyEntity } from './iam-access-key.entity';
import { IamGroupMemberEntity } from './iam-group-member.entity';
import { IamGroupEntity } from './iam-group.entity';
import { IamPolicyAttachmentEntity } from './iam-policy-attachment.entity';
import { IamPolicyEntity } from './iam-policy.entity';
import { IamUserEntity } from './iam-user.entity';
import { MaintenanceRunEntity } from './maintenance-run.entity';
import { MultipartPartEntity } from './multipart-part.entity';
import { MultipartUploadEntity } from './multipart-upload.entity';
import { ObjectVersionEntity } from './object-version.entity';
import { OutboxEntity } from './outbox.entity';
import { SystemStateEntity } from './system-state.entity';

export {
  BucketConfigEntity,
  BucketEntity,
  IamAccessKeyEntity,
  IamGroupEntity,
  IamGroupMemberEntity,
  IamPolicyAttachmentEntity,
  IamPolicyEntity,
  IamUserEntity,
  MaintenanceRunEntity,
  MultipartPartEntity,
  MultipartUploadEntity,
  ObjectVersionEntity,
  OutboxEntity,
  SystemStateEntity,
};

/** Every entity of the metadata schema (the migrations create exactly these tables). */
export const METADATA_ENTITIES = [
  BucketEntity,
  ObjectVersionEntity,
  MultipartUploadEntity,
  MultipartPartEntity,
  IamUserEntity,
  IamAccessKeyEntity,
  IamGroupEntity,
  IamGroupMemberEntity,
  IamPolicyEntity,
  IamPolicyAttachmentEntity,
  BucketConfigEntity,
  OutboxEntity,
  SystemStateEntity,
  MaintenanceRunEntity,
];
