CREATE TABLE `attachments` (
	`run_id` text NOT NULL,
	`path` text NOT NULL,
	`content_type` text,
	`size` integer NOT NULL,
	`data` blob NOT NULL,
	PRIMARY KEY(`run_id`, `path`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`state` text NOT NULL,
	`request` text NOT NULL,
	`tags` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`start_time` text,
	`end_time` text,
	`run_name` text,
	`exit_code` integer,
	`system_logs` text DEFAULT '[]' NOT NULL,
	`outputs` text DEFAULT '{}' NOT NULL,
	`idempotency_key` text,
	`request_hash` text NOT NULL,
	`cancel_requested_at` integer,
	`canceled_by` text,
	`omics_run_id` text,
	`omics_run_uuid` text,
	`omics_run_arn` text,
	`omics_status` text,
	`omics_failure_reason` text,
	`omics_status_message` text
);
--> statement-breakpoint
CREATE INDEX `runs_owner_created` ON `runs` (`owner`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_created` ON `runs` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_owner_state` ON `runs` (`owner`,`state`);--> statement-breakpoint
CREATE INDEX `runs_state` ON `runs` (`state`);--> statement-breakpoint
CREATE INDEX `runs_omics_uuid` ON `runs` (`omics_run_uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_owner_idempotency` ON `runs` (`owner`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `service_keys` (
	`name` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`run_id` text NOT NULL,
	`id` text NOT NULL,
	`position` integer NOT NULL,
	`name` text NOT NULL,
	`status` text,
	`start_time` text,
	`end_time` text,
	`exit_code` integer,
	`system_logs` text DEFAULT '[]' NOT NULL,
	`stdout` text,
	`stderr` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `id`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tasks_run_position` ON `tasks` (`run_id`,`position`,`id`);