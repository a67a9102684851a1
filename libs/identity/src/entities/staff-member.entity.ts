import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StaffRole = 'admin' | 'agent';

/** Staff of a commune, by e-mail address: invited first, joined at their first login with it. */
@Entity({ name: 'staff_member' })
export class StaffMemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'text' })
  role!: StaffRole;

  @Column({ name: 'department_codes', type: 'text', array: true })
  departmentCodes!: string[];

  @Column({ name: 'citizen_id', type: 'uuid', nullable: true })
  citizenId!: string | null;

  @Column({ name: 'invited_by', type: 'text', nullable: true })
  invitedBy!: string | null;

  @Column({ name: 'invited_at', type: 'timestamptz' })
  invitedAt!: Date;

  @Column({ name: 'joined_at', type: 'timestamptz', nullable: true })
  joinedAt!: Date | null;
}
