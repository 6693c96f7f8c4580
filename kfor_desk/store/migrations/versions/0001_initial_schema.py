"""Initial schema: the two registers, locations, the audit trail, conflict marks, meta.

Frozen: never edit a released revision; add a new one.

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 23:28:02.177024
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('audit',
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=27), nullable=False),
    sa.Column('operator', sa.String(length=200), nullable=False),
    sa.Column('workstation', sa.String(length=200), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('register_no', sa.String(length=40), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state_hash', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_audit')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_hash'))
    )
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_register_no'), ['register_no'], unique=False)

    op.create_table('conflict_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('a', sa.String(length=16), nullable=False),
    sa.Column('b', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('marked_by', sa.String(length=200), nullable=False),
    sa.Column('marked_at', sa.String(length=27), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.CheckConstraint('length(note) <= 8000', name=op.f('ck_conflict_marks_note_len')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_marks'))
    )
    with op.batch_alter_table('conflict_marks', schema=None) as batch_op:
        batch_op.create_index('ix_conflict_marks_pair', ['a', 'b'], unique=False)

    op.create_table('meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.CheckConstraint('length(value) <= 8000', name=op.f('ck_meta_value_len')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_meta'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_no', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sender_ref', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('received_at', sa.String(length=27), nullable=False),
    sa.Column('received_by', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('exercise_type', sa.String(length=32), nullable=False),
    sa.Column('units', sa.Text(), nullable=False),
    sa.Column('personnel', sa.Integer(), nullable=True),
    sa.Column('vehicles', sa.Integer(), nullable=True),
    sa.Column('weapon_systems', sa.Text(), nullable=False),
    sa.Column('live_fire', sa.Boolean(), nullable=False),
    sa.Column('air_assets', sa.Text(), nullable=True),
    sa.Column('start', sa.String(length=27), nullable=False),
    sa.Column('end', sa.String(length=27), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('acknowledged_at', sa.String(length=27), nullable=True),
    sa.Column('disseminated_at', sa.String(length=27), nullable=True),
    sa.Column('disseminated_to', sa.Text(), nullable=False),
    sa.Column('cancelled_at', sa.String(length=27), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.Column('patrols', sa.String(length=32), nullable=False),
    sa.Column('liaison_contact', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.CheckConstraint('"end" > start', name=op.f('ck_notifications_period')),
    sa.CheckConstraint('length(air_assets) <= 1000', name=op.f('ck_notifications_air_assets_len')),
    sa.CheckConstraint('length(cancel_reason) <= 1000', name=op.f('ck_notifications_cancel_reason_len')),
    sa.CheckConstraint('length(disseminated_to) <= 1000', name=op.f('ck_notifications_disseminated_to_len')),
    sa.CheckConstraint('length(liaison_contact) <= 1000', name=op.f('ck_notifications_liaison_contact_len')),
    sa.CheckConstraint('length(name) <= 200', name=op.f('ck_notifications_name_len')),
    sa.CheckConstraint('length(notes) <= 8000', name=op.f('ck_notifications_notes_len')),
    sa.CheckConstraint('length(received_by) <= 200', name=op.f('ck_notifications_received_by_len')),
    sa.CheckConstraint('length(sender_ref) <= 200', name=op.f('ck_notifications_sender_ref_len')),
    sa.CheckConstraint('length(units) <= 1000', name=op.f('ck_notifications_units_len')),
    sa.CheckConstraint('length(weapon_systems) <= 1000', name=op.f('ck_notifications_weapon_systems_len')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_notifications_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('register_no', name=op.f('uq_notifications_register_no'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_end'), ['end'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_start'), ['start'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_status'), ['status'], unique=False)

    op.create_table('requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('register_no', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('ksf_ref', sa.String(length=200), nullable=False),
    sa.Column('received_at', sa.String(length=27), nullable=False),
    sa.Column('received_by', sa.String(length=200), nullable=False),
    sa.Column('requesting_unit', sa.String(length=200), nullable=False),
    sa.Column('point_of_contact', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('municipalities', sa.Text(), nullable=False),
    sa.Column('route', sa.Text(), nullable=False),
    sa.Column('start', sa.String(length=27), nullable=False),
    sa.Column('end', sa.String(length=27), nullable=False),
    sa.Column('personnel', sa.Integer(), nullable=True),
    sa.Column('vehicles', sa.Integer(), nullable=True),
    sa.Column('weapons_carried', sa.Boolean(), nullable=False),
    sa.Column('air_assets', sa.Text(), nullable=True),
    sa.Column('decision_due', sa.String(length=27), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('review_started_at', sa.String(length=27), nullable=True),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('recommended_at', sa.String(length=27), nullable=True),
    sa.Column('decision_authority', sa.String(length=200), nullable=True),
    sa.Column('decided_at', sa.String(length=27), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('communicated_at', sa.String(length=27), nullable=True),
    sa.Column('communicated_via', sa.String(length=200), nullable=False),
    sa.Column('withdrawn_at', sa.String(length=27), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.CheckConstraint('"end" > start', name=op.f('ck_requests_period')),
    sa.CheckConstraint('length(air_assets) <= 1000', name=op.f('ck_requests_air_assets_len')),
    sa.CheckConstraint('length(communicated_via) <= 200', name=op.f('ck_requests_communicated_via_len')),
    sa.CheckConstraint('length(conditions) <= 8000', name=op.f('ck_requests_conditions_len')),
    sa.CheckConstraint('length(decision_authority) <= 200', name=op.f('ck_requests_decision_authority_len')),
    sa.CheckConstraint('length(description) <= 8000', name=op.f('ck_requests_description_len')),
    sa.CheckConstraint('length(ksf_ref) <= 200', name=op.f('ck_requests_ksf_ref_len')),
    sa.CheckConstraint('length(notes) <= 8000', name=op.f('ck_requests_notes_len')),
    sa.CheckConstraint('length(point_of_contact) <= 200', name=op.f('ck_requests_point_of_contact_len')),
    sa.CheckConstraint('length(rationale) <= 8000', name=op.f('ck_requests_rationale_len')),
    sa.CheckConstraint('length(received_by) <= 200', name=op.f('ck_requests_received_by_len')),
    sa.CheckConstraint('length(recommendation) <= 8000', name=op.f('ck_requests_recommendation_len')),
    sa.CheckConstraint('length(requesting_unit) <= 200', name=op.f('ck_requests_requesting_unit_len')),
    sa.CheckConstraint('length(route) <= 1000', name=op.f('ck_requests_route_len')),
    sa.CheckConstraint('length(withdraw_reason) <= 1000', name=op.f('ck_requests_withdraw_reason_len')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_requests_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requests')),
    sa.UniqueConstraint('register_no', name=op.f('uq_requests_register_no'))
    )
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requests_decision_due'), ['decision_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_end'), ['end'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_start'), ['start'], unique=False)
        batch_op.create_index(batch_op.f('ix_requests_status'), ['status'], unique=False)

    op.create_table('locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('radius_m', sa.Integer(), nullable=True),
    sa.Column('uncertainty_m', sa.Float(), nullable=False),
    sa.Column('abl_distance_km', sa.Float(), nullable=True),
    sa.Column('side', sa.String(length=16), nullable=True),
    sa.Column('band', sa.String(length=16), nullable=True),
    sa.CheckConstraint('(notification_id IS NULL) <> (request_id IS NULL)', name=op.f('ck_locations_owner')),
    sa.CheckConstraint('lat BETWEEN -90 AND 90 AND lon BETWEEN -180 AND 180', name=op.f('ck_locations_latlon')),
    sa.CheckConstraint('length(name) <= 200', name=op.f('ck_locations_name_len')),
    sa.CheckConstraint('length(position) <= 200', name=op.f('ck_locations_position_len')),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_locations_notification_id_notifications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_locations_request_id_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_locations'))
    )
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.create_index('ix_locations_notification', ['notification_id'], unique=False)
        batch_op.create_index('ix_locations_request', ['request_id'], unique=False)

    

    # The audit trail is append-only: refuse UPDATE and DELETE at the database.
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_no_{verb.lower()} BEFORE {verb} ON audit "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
            )
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
        )


def downgrade() -> None:
    
    with op.batch_alter_table('locations', schema=None) as batch_op:
        batch_op.drop_index('ix_locations_request')
        batch_op.drop_index('ix_locations_notification')

    op.drop_table('locations')
    with op.batch_alter_table('requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requests_status'))
        batch_op.drop_index(batch_op.f('ix_requests_start'))
        batch_op.drop_index(batch_op.f('ix_requests_received_at'))
        batch_op.drop_index(batch_op.f('ix_requests_end'))
        batch_op.drop_index(batch_op.f('ix_requests_decision_due'))

    op.drop_table('requests')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_status'))
        batch_op.drop_index(batch_op.f('ix_notifications_start'))
        batch_op.drop_index(batch_op.f('ix_notifications_received_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_end'))

    op.drop_table('notifications')
    op.drop_table('meta')
    with op.batch_alter_table('conflict_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_conflict_marks_pair')

    op.drop_table('conflict_marks')
    with op.batch_alter_table('audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_register_no'))
        batch_op.drop_index(batch_op.f('ix_audit_at'))

    op.drop_table('audit')
    
