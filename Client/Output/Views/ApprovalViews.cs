using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// An approval in <c>--json</c>; <c>status</c> is pending, approved, denied or expired; <c>summary</c> the redacted
/// payload as lines a person reads.
/// </summary>
internal sealed record ApprovalView(
    string Id,
    string Tenant,
    string Session,
    string Action,
    string Risk,
    string Reason,
    string Status,
    string PayloadSha256,
    string RedactedPayload,
    DateTime? CreatedAt,
    DateTime? Deadline,
    string? DecidedBy,
    DateTime? DecidedAt,
    string? Note,
    string RequestedBy,
    string? Outcome,
    IReadOnlyList<string> Summary)
{
    public static ApprovalView From(ApprovalInfo a) => new(
        a.Id, a.Tenant, a.Session, a.Action, a.Risk, a.Reason, a.Status, a.PayloadSha256, a.RedactedPayload,
        a.CreatedAt?.UtcDateTime, a.Deadline?.UtcDateTime, Optional(a.DecidedBy), a.DecidedAt?.UtcDateTime, Optional(a.Note),
        a.RequestedBy, Optional(a.Outcome), a.Summary);

    /// <summary>Everything an approver needs to decide, one field a line.</summary>
    public static void Render(ApprovalView a, TextWriter writer)
    {
        void Line(string name, string? value) => writer.WriteLine($"{name,-15}{Table.Clean(value ?? "-")}");
        Line("ID", a.Id);
        Line("STATUS", a.Status);
        Line("TENANT", a.Tenant);
        Line("SESSION", a.Session);
        Line("ACTION", a.Action);
        Line("RISK", a.Risk);
        Line("REASON", a.Reason);
        Line("REQUESTED BY", a.RequestedBy);
        Line("CREATED", HumanFormat.Time(a.CreatedAt));
        Line("DEADLINE", HumanFormat.Time(a.Deadline));
        Line("DECIDED BY", a.DecidedBy);
        Line("DECIDED", HumanFormat.Time(a.DecidedAt));
        Line("NOTE", a.Note);
        Line("OUTCOME", a.Outcome);
        // What is asked, readably first (e.g. the method and URL, then amount, currency, recipient).
        for (var i = 0; i < a.Summary.Count; i++)
            Line(i == 0 ? "SUMMARY" : "", a.Summary[i]);
        Line("PAYLOAD SHA256", a.PayloadSha256);
        Line("PAYLOAD", a.RedactedPayload);
    }

    private static string? Optional(string value) => value.Length > 0 ? value : null;
}

internal sealed record ApprovalListView(IReadOnlyList<ApprovalView> Approvals)
{
    public static ApprovalListView From(IEnumerable<ApprovalInfo> approvals) => new([.. approvals.Select(ApprovalView.From)]);

    public static void Render(ApprovalListView list, TextWriter writer)
    {
        var table = new Table("ID", "TENANT", "SESSION", "ACTION", "RISK", "DEADLINE", "REQUESTED BY");
        foreach (var a in list.Approvals)
            table.Add(a.Id, a.Tenant, a.Session, a.Action, a.Risk, HumanFormat.Time(a.Deadline), a.RequestedBy);
        table.WriteTo(writer);
    }
}

/// <summary><c>action authorize --json</c>: <c>{"decision": "allowed"|"pending", "risk", "approvalId", …}</c>.</summary>
internal sealed record AuthorizeView(string Decision, string Risk, string? ApprovalId, string Reason, DateTime? Deadline, string PayloadSha256)
{
    public static AuthorizeView From(ActionAuthorization a) =>
        new(a.Decision, a.Risk, a.ApprovalId, a.Reason, a.Deadline?.UtcDateTime, a.PayloadSha256);

    public static void Render(AuthorizeView a, TextWriter writer) =>
        writer.WriteLine(a.ApprovalId is { } id
            ? $"pending: {a.Risk}, approval {id} until {HumanFormat.Time(a.Deadline)} ({Table.Clean(a.Reason)})"
            : $"allowed: {a.Risk} ({Table.Clean(a.Reason)})");
}

/// <summary><c>tenants update --json</c>: the tenant, and the webhook signing secret when this call made one (shown once).</summary>
internal sealed record TenantUpdatedView(TenantView Tenant, string? WebhookSecret)
{
    public static void Render(TenantUpdatedView view, TextWriter writer)
    {
        TenantView.Render(view.Tenant, writer);
        writer.WriteLine($"approval timeout: {HumanFormat.Duration(view.Tenant.ApprovalTimeout is { } t ? TimeSpan.FromSeconds(t) : null)}");
        if (view.WebhookSecret is { } secret)
        {
            writer.WriteLine();
            writer.WriteLine("Webhook signing secret (HMAC-SHA256 key), shown only once:");
            writer.WriteLine(secret);
        }
    }

    public override string ToString() => $"TenantUpdatedView {{ Tenant = {Tenant.Name}, WebhookSecret = *** }}";
}

/// <summary><c>action complete --json</c>: <c>{"approvalId","outcome"}</c>.</summary>
internal sealed record ActionCompletedView(string ApprovalId, string Outcome)
{
    public static void Render(ActionCompletedView view, TextWriter writer) =>
        writer.WriteLine($"completed {Table.Clean(view.ApprovalId)}: {view.Outcome}");
}
