using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Unit.Client.Commands.Approvals;

/// <summary>A key that may read but not decide is told so, besides the list (which stays on stdout for scripts).</summary>
public sealed class ListApprovalsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task A_key_without_the_approver_role_is_told_it_cannot_decide()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path, _ => FakeGrpcServer.Reply.Ok(Pending(canDecide: false)), "approvals", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("apr_1", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(
            "agentctl: note: this key has no approver role: it sees pending approvals but cannot approve or deny them "
            + "(an approver's key: agentctl keys create --tenant NAME --role approver)",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task An_approver_gets_the_list_with_its_tenant_column_and_nothing_on_stderr()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path, _ => FakeGrpcServer.Reply.Ok(Pending(canDecide: true)), "approvals", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var lines = run.Stdout.TrimEnd().Split('\n');
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("TENANT", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^apr_1\s+acme\s+ses_1\s+stripe\.charge\s+Irreversible\s+2025-01-02 03:09:05Z\s+key_1$", lines[1]);
    }

    public void Dispose() => _dir.Dispose();

    private static ListApprovalsResponse Pending(bool canDecide) => new()
    {
        CanDecide = canDecide,
        Approvals =
        {
            new Approval
            {
                Id = "apr_1", Tenant = "acme", Session = "ses_1", Action = "stripe.charge", Risk = "Irreversible", Status = "pending",
                Deadline = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 9, 5, TimeSpan.Zero)), RequestedBy = "key_1",
            },
        },
    };
}
