package complaints_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	complaints "github.com/complaints-lib/complaints/bindings/go"
)

const council = `{"name": "council", "initial": "Open",
 "statuses": [{"name": "Open", "category": "open"}, {"name": "Closed", "category": "closed"}],
 "actions": [{"name": "close", "from": ["Open"], "to": "Closed", "allow": ["admin", "office"],
   "guards": ["no_open_tasks", "mandatory_tasks_done"]}],
 "tasks": [{"name": "investigate", "assign_to": {"groups": ["roads"]}, "mandatory": true}]}`

var members = []string{"alice", "bob", "carol", "dan", "erin", "fay"}

// taskFixture: the council workflow, group roads of six office users, one case.
func taskFixture(t *testing.T) (*fixture, []*complaints.Actor, string) {
	f := newFixture(t)
	var actors []*complaints.Actor
	for _, m := range members {
		f.must(f.desk.PutUser(f.admin, complaints.User{ID: m, Role: complaints.RoleOffice, Name: m}))
		actors = append(actors, f.actor(m, complaints.RoleOffice))
	}
	f.must(f.desk.PutGroup(f.admin, complaints.Group{ID: "roads", Name: "Roads", Members: members}))
	f.must(f.desk.InstallWorkflow(f.admin, []byte(council)))
	issue, err := f.desk.Report(f.office, complaints.ReportRequest{
		Record: f.booking, Type: "Other", Description: "Pothole outside number 12.", Workflow: "council",
	})
	f.must(err)
	return f, actors, issue.Code
}

func TestTaskLife(t *testing.T) {
	f, who, code := taskFixture(t)
	alice, bob := who[0], who[1]
	groups, err := f.desk.Groups(f.office)
	f.must(err)
	if len(groups) != 1 || groups[0].ID != "roads" || len(groups[0].Members) != len(members) {
		t.Fatalf("groups: %+v", groups)
	}
	task, err := f.desk.CreateTask(f.office, code, complaints.TaskRequest{Kind: "investigate", Group: "roads"})
	f.must(err)
	if task.State != complaints.TaskOpen || !task.Claimable || !task.Mandatory || task.DoneAt != nil {
		t.Fatalf("created: %+v", task)
	}
	queue, err := f.desk.ClaimableTasks(bob, 10, 0)
	f.must(err)
	if len(queue) != 1 || queue[0].ID != task.ID {
		t.Fatalf("bob's queue: %+v", queue)
	}
	claimed, err := f.desk.ClaimTask(alice, task.ID)
	f.must(err)
	if claimed.Assignee != "alice" || claimed.Claimable {
		t.Fatalf("claimed: %+v", claimed)
	}
	if queue, _ = f.desk.ClaimableTasks(bob, 10, 0); len(queue) != 0 {
		t.Fatalf("a claimed task stays in the queue: %+v", queue)
	}
	if _, err := f.desk.Act(f.office, code, complaints.ActionRequest{Action: "close"}); !errors.Is(err, complaints.ErrInvalidState) {
		t.Fatalf("close with a mandatory task open: %v", err)
	}
	if _, err := f.desk.CompleteTask(bob, task.ID, "Not mine."); !errors.Is(err, complaints.ErrForbidden) {
		t.Fatalf("bob completing alice's task: %v", err)
	}
	mine, err := f.desk.MyTasks(alice, 10, 0)
	f.must(err)
	if len(mine) != 1 {
		t.Fatalf("alice's tasks: %+v", mine)
	}
	done, err := f.desk.CompleteTask(alice, task.ID, "30cm pothole; repair booked.")
	f.must(err)
	if done.State != complaints.TaskCompleted || done.DoneBy != "alice" || done.DoneAt == nil {
		t.Fatalf("completed: %+v", done)
	}
	issue, err := f.desk.Act(f.office, code, complaints.ActionRequest{Action: "close"})
	f.must(err)
	if issue.Status != "Closed" {
		t.Fatalf("status %q", issue.Status)
	}
	all, err := f.desk.Tasks(f.office, code)
	f.must(err)
	if len(all) != 1 || all[0].Notes != "30cm pothole; repair booked." {
		t.Fatalf("tasks: %+v", all)
	}
}

func TestTaskReleaseAssignCancelAndRefusals(t *testing.T) {
	f, who, code := taskFixture(t)
	task, err := f.desk.CreateTask(f.office, code, complaints.TaskRequest{Kind: "investigate", Group: "roads"})
	f.must(err)
	_, err = f.desk.ClaimTask(who[0], task.ID)
	f.must(err)
	if task, err = f.desk.ReleaseTask(who[0], task.ID); err != nil || task.Assignee != "" {
		t.Fatalf("release: %+v %v", task, err)
	}
	if task, err = f.desk.AssignTask(f.office, task.ID, "roads", "bob"); err != nil || task.Assignee != "bob" {
		t.Fatalf("assign: %+v %v", task, err)
	}
	var ce *complaints.Error
	if _, err = f.desk.AssignTask(f.office, task.ID, "", ""); !errors.As(err, &ce) || ce.Code != complaints.CodeInvalidInput || ce.Where != "group" {
		t.Fatalf("assign to nobody: %v", err)
	}
	no := false
	_, err = f.desk.CreateTask(f.office, code, complaints.TaskRequest{Kind: "investigate", Group: "roads", Mandatory: &no})
	if !errors.As(err, &ce) || ce.Where != "mandatory" {
		t.Fatalf("a kind's fixed option: %v", err)
	}
	if task, err = f.desk.CancelTask(f.office, task.ID, "Duplicate."); err != nil || task.State != complaints.TaskCancelled {
		t.Fatalf("cancel: %+v %v", task, err)
	}
	if _, err = f.desk.Task(who[0], 99); !errors.Is(err, complaints.ErrNotFound) {
		t.Fatalf("no task 99: %v", err)
	}
	if _, err = f.desk.ClaimableTasks(who[0], 0, 0); !errors.As(err, &ce) || ce.Where != "limit" {
		t.Fatalf("limit 0: %v", err)
	}
}

// Goroutines claiming one task at once, each call through a pooled handle
// of its own: exactly one wins, the others get ErrConflict with their own
// message naming the winner.
func TestOneClaimWinsAmongGoroutines(t *testing.T) {
	f, who, code := taskFixture(t)
	for round := 0; round < 10; round++ {
		task, err := f.desk.CreateTask(f.office, code, complaints.TaskRequest{Kind: "investigate", Group: "roads"})
		f.must(err)
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			won   []string
			lost  []*complaints.Error
			other []error
			start = make(chan struct{})
		)
		for _, a := range who {
			wg.Add(1)
			go func(a *complaints.Actor) {
				defer wg.Done()
				<-start
				got, err := f.desk.ClaimTask(a, task.ID)
				mu.Lock()
				defer mu.Unlock()
				var ce *complaints.Error
				switch {
				case err == nil:
					won = append(won, got.Assignee)
				case errors.As(err, &ce) && ce.Code == complaints.CodeConflict:
					lost = append(lost, ce)
				default:
					other = append(other, err)
				}
			}(a)
		}
		close(start)
		wg.Wait()
		if len(other) != 0 || len(won) != 1 || len(lost) != len(who)-1 {
			t.Fatalf("round %d: won %v, lost %d, other %v", round, won, len(lost), other)
		}
		for _, ce := range lost {
			if ce.Where != "id" || !strings.Contains(ce.Message, won[0]) {
				t.Fatalf("a loser's error: %+v (winner %s)", ce, won[0])
			}
		}
	}
}

const outcomes = `{"name": "outcomes", "initial": "Open",
 "statuses": [{"name": "Open", "category": "open"}, {"name": "Responded", "category": "resolved"},
   {"name": "Closed", "category": "closed"}],
 "fields": [{"name": "outcome", "type": "choice", "choices": ["Upheld", "Not upheld"]},
   {"name": "compensation", "type": "money", "currency": "GBP", "min": 0}],
 "actions": [{"name": "record_outcome", "from": ["Open"], "to": "Responded", "allow": ["office"],
   "fields": ["outcome", "compensation"], "required_fields": ["outcome"]},
   {"name": "close", "from": ["Responded"], "to": "Closed", "allow": ["office"]}]}`

func TestTaskCaseEventsAndCaseFields(t *testing.T) {
	f, who, code := taskFixture(t)
	alice := who[0]
	var claimed []complaints.Event
	var mu sync.Mutex
	_, err := f.desk.On(complaints.EventTaskClaimed, func(e complaints.Event) {
		mu.Lock()
		defer mu.Unlock()
		claimed = append(claimed, e)
	})
	f.must(err)
	task, err := f.desk.CreateTask(f.office, code, complaints.TaskRequest{Kind: "investigate", Group: "roads"})
	f.must(err)
	_, err = f.desk.ClaimTask(alice, task.ID)
	f.must(err)
	mu.Lock()
	if len(claimed) != 1 || claimed[0].ItemID != task.ID || claimed[0].Detail != "investigate" {
		t.Fatalf("task_claimed events: %+v", claimed)
	}
	mu.Unlock()
	tc, err := f.desk.TaskCase(alice, task.ID)
	f.must(err)
	if tc.Access != "summary" || tc.Issue.Description != "Pothole outside number 12." || tc.Issue.CustomerID != "" ||
		tc.Contact != nil || len(tc.Comments) != 0 || len(tc.Timeline) != 0 {
		t.Fatalf("task case: %+v", tc)
	}
	if _, err := f.desk.TaskAttachment(alice, task.ID, 1); !errors.Is(err, complaints.ErrNotFound) {
		t.Fatalf("task attachment at summary: %v", err)
	}

	f.must(f.desk.InstallWorkflow(f.admin, []byte(outcomes)))
	issue, err := f.desk.Report(f.office, complaints.ReportRequest{
		Record: f.booking, Type: "Other", Description: "Bins.", Workflow: "outcomes",
	})
	f.must(err)
	_, err = f.desk.Act(f.office, issue.Code, complaints.ActionRequest{Action: "record_outcome"})
	var ce *complaints.Error
	if !errors.As(err, &ce) || !errors.Is(err, complaints.ErrInvalidInput) || ce.Where != "fields.outcome" {
		t.Fatalf("outcome missing: %v", err)
	}
	done, err := f.desk.Act(f.office, issue.Code, complaints.ActionRequest{
		Action: "record_outcome", Fields: map[string]string{"outcome": "Upheld", "compensation": "12.5"},
	})
	f.must(err)
	if done.Fields["outcome"] != "Upheld" || done.Fields["compensation"] != "12.50" {
		t.Fatalf("fields: %+v", done.Fields)
	}
	found, err := f.desk.List(f.office, complaints.IssueFilter{Fields: map[string]string{"outcome": "Upheld"}})
	f.must(err)
	if len(found) != 1 || found[0].Code != issue.Code {
		t.Fatalf("filtered: %+v", found)
	}
	_, err = f.desk.Edit(f.office, issue.Code, complaints.IssueEdit{Fields: map[string]string{"compensation": "x"}})
	if !errors.As(err, &ce) || ce.Where != "fields.compensation" {
		t.Fatalf("bad compensation: %v", err)
	}
}
