ALTER TABLE `workflow_packages` ADD `uses` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `workflow_packages` ADD `parameter_template` text;--> statement-breakpoint
ALTER TABLE `workflow_packages` ADD `retired_at` integer;