import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type DocumentContentType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** An uploaded file's record; the bytes are in the document storage under `storageKey`. */
@Entity({ name: 'document' })
export class DocumentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The citizen profile of whoever uploaded it (staff have one too). */
  @Column({ name: 'uploaded_by', type: 'uuid', nullable: true })
  uploadedBy!: string | null;

  /** What the document belongs to (`dossier`, ...); null while staged. */
  @Column({ name: 'owner_kind', type: 'text', nullable: true })
  ownerKind!: string | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  @Column({ type: 'text', nullable: true })
  label!: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName!: string;

  /** Detected from the content, never taken from the name or the client's header. */
  @Column({ name: 'content_type', type: 'text' })
  contentType!: DocumentContentType;

  @Column({ name: 'size_bytes', type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'text' })
  sha256!: string;

  @Column({ name: 'storage_key', type: 'text' })
  storageKey!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'attached_at', type: 'timestamptz', nullable: true })
  attachedAt!: Date | null;
}
