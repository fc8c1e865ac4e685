DROP INDEX `runs_state`;--> statement-breakpoint
ALTER TABLE `runs` ADD `omics_workflow_type` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `swept_at` integer;--> statement-breakpoint
CREATE INDEX `runs_state` ON `runs` (`state`,`swept_at`);