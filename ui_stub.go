package main

import "context"

// startUI is replaced by the Bubble Tea wizard.
func startUI(ctx context.Context, e env, o wizardOptions) error {
	return runPlainDemo(ctx, e, demoFlags{scenario: o.scenario, style: o.style, output: "text"})
}
