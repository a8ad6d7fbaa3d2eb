using AgentCluster.Grains.Audit;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Audit;

public sealed class AuditKindsTests
{
    [Theory]
    [InlineData("host.added")]
    [InlineData("host.drained")]
    [InlineData("host.undrained")]
    [InlineData("host.unsafe")]
    [InlineData("proxy.ca_created")]
    [InlineData("session.reaped")]
    [InlineData("session.allowlist_changed")]
    public void Fleet_ca_and_allowlist_changes_are_durable_before_they_are_acknowledged(string kind)
    {
        Assert.Contains(kind, AuditKinds.All);
        Assert.True(AuditKinds.IsDurable(kind));
    }

    [Fact]
    public void Watching_a_screen_from_the_console_is_listed_and_durable()
    {
        Assert.Equal("console.screen_viewed", AuditKinds.ConsoleScreenViewed);
        Assert.Contains(AuditKinds.ConsoleScreenViewed, AuditKinds.All);
        Assert.True(AuditKinds.IsDurable(AuditKinds.ConsoleScreenViewed));
    }

    [Theory]
    [InlineData("console.signed_in")]
    [InlineData("console.signed_out")]
    public void Console_sign_ins_and_outs_are_listed_and_durable(string kind)
    {
        Assert.Contains(kind, AuditKinds.All);
        Assert.True(AuditKinds.IsDurable(kind));
    }

    [Fact]
    public void An_extension_is_durable_and_other_state_changes_are_not()
    {
        AuditEvent Row(string outcome) => new("t", "a", AuditKinds.SessionStateChanged, "s", outcome, "", AuditEvent.NoDetail);

        Assert.True(AuditKinds.IsDurable(Row(AuditKinds.SessionExtended)));
        Assert.False(AuditKinds.IsDurable(Row("Ready")));
        Assert.False(AuditKinds.IsDurable(new AuditEvent("t", "a", AuditKinds.EgressCompleted, "s", "success", "", AuditEvent.NoDetail)));
    }

    [Fact]
    public void Every_kind_is_listed_once()
    {
        Assert.Equal(AuditKinds.All.Count, AuditKinds.All.Distinct(StringComparer.Ordinal).Count());
    }
}
