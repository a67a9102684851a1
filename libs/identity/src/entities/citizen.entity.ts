import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Locale } from '@gemeng/core';

/** A person as one commune knows them; the same person on another commune is another profile. */
@Entity({ name: 'citizen' })
export class CitizenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  subject!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', nullable: true })
  locale!: Locale | null;

  @Column({ name: 'notification_preferences', type: 'jsonb' })
  notificationPreferences!: { email: boolean };

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz' })
  lastLoginAt!: Date;
}
