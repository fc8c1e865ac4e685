CREATE TABLE `run_tags` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`owner` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_tags_owner_lookup` ON `run_tags` (`owner`,`key`,`value`,`created_at`,`run_id`);--> statement-breakpoint
CREATE INDEX `run_tags_lookup` ON `run_tags` (`key`,`value`,`created_at`,`run_id`);--> statement-breakpoint
DROP INDEX `runs_owner_state`;--> statement-breakpoint
CREATE INDEX `runs_owner_state_created` ON `runs` (`owner`,`state`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_state_created` ON `runs` (`state`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_owner_name_created` ON `runs` (`owner`,`run_name`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `runs_name_created` ON `runs` (`run_name`,`created_at`,`id`);--> statement-breakpoint
-- Hand-written (drizzle-kit generates no data moves): the tags of runs submitted before this migration.
INSERT INTO `run_tags` (`run_id`, `key`, `value`, `owner`, `created_at`) SELECT r.`id`, j.`key`, j.`value`, r.`owner`, r.`created_at` FROM `runs` r, json_each(r.`tags`) j WHERE j.`type` = 'text';
