import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import type { DocumentEntity } from '../entities/document.entity';

@ObjectType('Document', { description: 'An uploaded file; its bytes are at downloadUrl for whoever may see it.' })
export class DocumentType {
  @Field(() => ID) id!: string;
  @Field({ description: "The name the file had on the uploader's device." }) fileName!: string;
  @Field({ description: 'application/pdf, image/jpeg or image/png, as found in the content itself.' })
  contentType!: string;
  @Field(() => Int) sizeBytes!: number;
  @Field({
    nullable: true,
    description: 'Which of the requested documents this is (its code), when the uploader said so.',
  })
  label?: string;
  @Field() uploadedAt!: Date;
  @Field({
    description: "Relative to the commune's host; answers only to a logged-in caller who may see the document.",
  })
  downloadUrl!: string;
}

/** The GraphQL view of a document. */
export function toDocumentType(document: DocumentEntity): DocumentType {
  return {
    id: document.id,
    fileName: document.fileName,
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    label: document.label ?? undefined,
    uploadedAt: document.createdAt,
    downloadUrl: `/documents/${document.id}`,
  };
}
