CREATE TABLE `workflow_package_users` (
	`hash` text NOT NULL,
	`owner` text NOT NULL,
	PRIMARY KEY(`hash`, `owner`),
	FOREIGN KEY (`hash`) REFERENCES `workflow_packages`(`hash`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `workflow_packages` (
	`hash` text PRIMARY KEY NOT NULL,
	`generation` integer DEFAULT 1 NOT NULL,
	`engine` text NOT NULL,
	`main` text NOT NULL,
	`size` integer NOT NULL,
	`zip_key` text NOT NULL,
	`source` text NOT NULL,
	`workflow_id` text,
	`status` text,
	`status_message` text,
	`first_used_at` integer NOT NULL,
	`last_used_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_packages_workflow` ON `workflow_packages` (`workflow_id`);--> statement-breakpoint
CREATE INDEX `workflow_packages_last_used` ON `workflow_packages` (`last_used_at`);--> statement-breakpoint
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_attachments` (
	`run_id` text NOT NULL,
	`path` text NOT NULL,
	`content_type` text,
	`size` integer NOT NULL,
	`data` blob,
	`object_key` text,
	`sha256` text,
	PRIMARY KEY(`run_id`, `path`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_attachments`("run_id", "path", "content_type", "size", "data", "object_key", "sha256") SELECT "run_id", "path", "content_type", "size", "data", NULL, NULL FROM `attachments`;--> statement-breakpoint
DROP TABLE `attachments`;--> statement-breakpoint
ALTER TABLE `__new_attachments` RENAME TO `attachments`;--> statement-breakpoint
CREATE INDEX `attachments_unmoved` ON `attachments` (`object_key`);--> statement-breakpoint
ALTER TABLE `runs` ADD `package_hash` text;--> statement-breakpoint
CREATE INDEX `runs_package_state` ON `runs` (`package_hash`,`state`);