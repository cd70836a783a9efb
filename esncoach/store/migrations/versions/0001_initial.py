"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 18:28:39.523995
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agenda_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_template')),
    sa.UniqueConstraint('stage', name=op.f('uq_agenda_template_stage'))
    )
    op.create_table('exec',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('handle', sa.String(length=200), nullable=True),
    sa.Column('joined_network', sa.Date(), nullable=True),
    sa.Column('stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('private_notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exec')),
    sa.UniqueConstraint('email', name=op.f('uq_exec_email'))
    )
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('rows_imported', sa.Integer(), nullable=False),
    sa.Column('rows_rejected', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_file_sha256'), ['file_sha256'], unique=False)

    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    op.create_table('post_prompt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_prompt'))
    )
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('name', name=op.f('uq_tag_name'))
    )
    op.create_table('workspace_setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value_json', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_workspace_setting'))
    )
    op.create_table('coaching_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('one_on_one', 'reverse_mentoring', 'assistant_briefing', 'private_space_review', name='sessionkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'cancelled', name='sessionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_min', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=True),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('outcomes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_coaching_session_exec_id_exec'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['person.id'], name=op.f('fk_coaching_session_mentor_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coaching_session'))
    )
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_session_exec_id'), ['exec_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coaching_session_starts_at'), ['starts_at'], unique=False)

    op.create_table('exec_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('reverse_mentor', 'assistant', 'sponsor', name='supportrole', native_enum=False, length=32), nullable=False),
    sa.Column('since', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_exec_support_exec_id_exec'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_exec_support_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exec_support')),
    sa.UniqueConstraint('exec_id', 'person_id', 'role', name=op.f('uq_exec_support_exec_id'))
    )
    with op.batch_alter_table('exec_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exec_support_exec_id'), ['exec_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_exec_support_person_id'), ['person_id'], unique=False)

    op.create_table('exec_tag',
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_exec_tag_exec_id_exec'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_exec_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exec_id', 'tag_id', name=op.f('pk_exec_tag'))
    )
    op.create_table('habit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('schedule', sa.Enum('daily', 'weekdays', 'times_per_period', name='habitschedule', native_enum=False, length=32), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('period_days', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_habit_exec_id_exec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_habit'))
    )
    with op.batch_alter_table('habit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_habit_exec_id'), ['exec_id'], unique=False)

    op.create_table('metric_sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.String(length=40), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_metric_sample_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_metric_sample_exec_id_exec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_sample'))
    )
    with op.batch_alter_table('metric_sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_metric_sample_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_metric_sample_exec_id'), ['exec_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_metric_sample_metric'), ['metric'], unique=False)
        batch_op.create_index(batch_op.f('ix_metric_sample_period_start'), ['period_start'], unique=False)

    op.create_table('practice_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('short_update', 'long_form', 'tough_question_reply', name='postkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('community', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('draft', 'in_review', 'changes_requested', 'ready', 'published', name='poststatus', native_enum=False, length=32), nullable=False),
    sa.Column('drafted_by', sa.Enum('exec', 'assistant', 'cm', name='draftedby', native_enum=False, length=32), nullable=False),
    sa.Column('stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=True),
    sa.Column('published_url', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_practice_post_exec_id_exec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_post'))
    )
    with op.batch_alter_table('practice_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_post_exec_id'), ['exec_id'], unique=False)

    op.create_table('stage_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('from_stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=True),
    sa.Column('stage', sa.Enum('listen', 'like', 'comment', 'short_updates', 'long_form', 'dialogue', name='ladderstage', native_enum=False, length=32), nullable=False),
    sa.Column('changed_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_stage_change_exec_id_exec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_change'))
    )
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_change_exec_id'), ['exec_id'], unique=False)

    op.create_table('watch_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_watch_theme_exec_id_exec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_theme'))
    )
    with op.batch_alter_table('watch_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_watch_theme_exec_id'), ['exec_id'], unique=False)

    op.create_table('action_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exec_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.Enum('exec', 'assistant', 'mentor', 'cm', name='actionowner', native_enum=False, length=32), nullable=False),
    sa.Column('owner_person_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['carried_from_id'], ['action_item.id'], name=op.f('fk_action_item_carried_from_id_action_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['exec_id'], ['exec.id'], name=op.f('fk_action_item_exec_id_exec'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_person_id'], ['person.id'], name=op.f('fk_action_item_owner_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_action_item_session_id_coaching_session'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_exec_id'), ['exec_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_session_id'), ['session_id'], unique=False)

    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('habit_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('result', sa.Enum('done', 'skipped', 'missed', name='checkinresult', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['habit_id'], ['habit.id'], name=op.f('fk_check_in_habit_id_habit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('habit_id', 'day', name=op.f('uq_check_in_habit_id'))
    )
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_in_habit_id'), ['habit_id'], unique=False)

    op.create_table('post_tag',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['practice_post.id'], name=op.f('fk_post_tag_post_id_practice_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_post_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'tag_id', name=op.f('pk_post_tag'))
    )
    op.create_table('revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['practice_post.id'], name=op.f('fk_revision_post_id_practice_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revision')),
    sa.UniqueConstraint('post_id', 'number', name=op.f('uq_revision_post_id'))
    )
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_revision_post_id'), ['post_id'], unique=False)

    op.create_table('session_tag',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['coaching_session.id'], name=op.f('fk_session_tag_session_id_coaching_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_session_tag_tag_id_tag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'tag_id', name=op.f('pk_session_tag'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=200), nullable=False),
    sa.Column('anchor_start', sa.Integer(), nullable=True),
    sa.Column('anchor_end', sa.Integer(), nullable=True),
    sa.Column('quoted_text', sa.Text(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_feedback_revision_id_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_revision_id'), ['revision_id'], unique=False)

    op.create_table('rubric_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=100), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['revision.id'], name=op.f('fk_rubric_score_revision_id_revision'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_score')),
    sa.UniqueConstraint('revision_id', 'criterion', name=op.f('uq_rubric_score_revision_id'))
    )
    with op.batch_alter_table('rubric_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rubric_score_revision_id'), ['revision_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rubric_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rubric_score_revision_id'))

    op.drop_table('rubric_score')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_revision_id'))

    op.drop_table('feedback')
    op.drop_table('session_tag')
    with op.batch_alter_table('revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_revision_post_id'))

    op.drop_table('revision')
    op.drop_table('post_tag')
    with op.batch_alter_table('check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_check_in_habit_id'))

    op.drop_table('check_in')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_session_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_exec_id'))

    op.drop_table('action_item')
    with op.batch_alter_table('watch_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_watch_theme_exec_id'))

    op.drop_table('watch_theme')
    with op.batch_alter_table('stage_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_change_exec_id'))

    op.drop_table('stage_change')
    with op.batch_alter_table('practice_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_post_exec_id'))

    op.drop_table('practice_post')
    with op.batch_alter_table('metric_sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_metric_sample_period_start'))
        batch_op.drop_index(batch_op.f('ix_metric_sample_metric'))
        batch_op.drop_index(batch_op.f('ix_metric_sample_exec_id'))
        batch_op.drop_index(batch_op.f('ix_metric_sample_batch_id'))

    op.drop_table('metric_sample')
    with op.batch_alter_table('habit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_habit_exec_id'))

    op.drop_table('habit')
    op.drop_table('exec_tag')
    with op.batch_alter_table('exec_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exec_support_person_id'))
        batch_op.drop_index(batch_op.f('ix_exec_support_exec_id'))

    op.drop_table('exec_support')
    with op.batch_alter_table('coaching_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_coaching_session_exec_id'))

    op.drop_table('coaching_session')
    op.drop_table('workspace_setting')
    op.drop_table('tag')
    op.drop_table('post_prompt')
    op.drop_table('person')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_file_sha256'))

    op.drop_table('import_batch')
    op.drop_table('exec')
    op.drop_table('agenda_template')
