import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EmailNotification } from '../notification';

/** A notification written in the same transaction as the change it tells about. */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  /** bigint: pg returns it as a string, which is also what job ids need. */
  @PrimaryColumn({ type: 'bigint', generated: 'identity' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'email';

  @Column({ type: 'jsonb' })
  payload!: EmailNotification;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'relayed_at', type: 'timestamptz', nullable: true })
  relayedAt!: Date | null;

  /** Hand-overs to the queue so far; part of the job id (see the migration). */
  @Column({ name: 'relay_count', type: 'integer', default: 0 })
  relayCount!: number;
}
