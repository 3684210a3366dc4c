package complaints

// Hooks for the tests in package complaints_test.

// OpenHandles is how many C handles d has open (the anchor included): 0 once
// closed.
func OpenHandles(d *Desk) int {
	d.pool.mu.Lock()
	defer d.pool.mu.Unlock()
	return d.pool.live
}

// IdleHandles is how many of them no call is using.
func IdleHandles(d *Desk) int {
	d.pool.mu.Lock()
	defer d.pool.mu.Unlock()
	return len(d.pool.idle)
}

// MaxIdleHandles is the most handles a desk keeps between calls.
const MaxIdleHandles = maxIdleHandles

// ValidateNullWorkflow calls complaints_workflow_validate with a NULL
// document, the one failure a caller can provoke, to see its message.
func ValidateNullWorkflow() ([]WorkflowProblem, error) { return validateWorkflow(nil) }
