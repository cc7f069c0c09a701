/**
 * The SDK's S3 commands `S3Bucket` uses where it does not sign its own requests (s3-bucket.ts): in a
 * module of their own, loaded on demand, so the bundle keeps only these of the SDK's S3 client.
 */
export { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectVersionsCommand, paginateListObjectsV2, PutObjectCommand } from "@aws-sdk/client-s3";
