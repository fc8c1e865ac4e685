CREATE TABLE `run_tombstones` (
	`run_id` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`idempotency_key` text,
	`created_at` integer NOT NULL,
	`deleted_at` integer NOT NULL,
	`reason` text NOT NULL,
	`deleted_by` text
);
--> statement-breakpoint
CREATE INDEX `run_tombstones_owner_key` ON `run_tombstones` (`owner`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `run_tombstones_owner_created` ON `run_tombstones` (`owner`,`created_at`);--> statement-breakpoint
CREATE INDEX `run_tombstones_reason_deleted` ON `run_tombstones` (`reason`,`deleted_at`);--> statement-breakpoint
CREATE INDEX `runs_state_updated` ON `runs` (`state`,`updated_at`);