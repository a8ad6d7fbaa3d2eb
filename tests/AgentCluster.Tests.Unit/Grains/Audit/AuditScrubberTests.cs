using AgentCluster.Grains.Audit;
using AuditEvent = AgentCluster.Grains.Audit.AuditEvent;

namespace AgentCluster.Tests.Unit.Grains.Audit;

public sealed class AuditScrubberTests
{
    private const string Token = "agc_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private static readonly AuditScrubber Scrubber = new(new AuditOptions());

    private static AuditEvent Event(string reason = "ok", params (string Key, string Value)[] detail) =>
        new("t", "actor", "egress.forwarded", "s-1", "success", reason,
            detail.Aggregate(AuditEvent.NoDetail, (d, p) => d.Add(p.Key, p.Value)));

    [Fact]
    public void An_event_that_reveals_nothing_is_passed_on_as_it_is()
    {
        var e = Event("forwarded", ("path", "/hello"), ("status", "200"));

        Assert.Same(e, Scrubber.Scrub(e));
    }

    [Fact]
    public void A_token_anywhere_in_the_detail_becomes_its_hash_prefix()
    {
        var scrubbed = Scrubber.Scrub(Event("forwarded", ("path", $"/files/{Token}/raw"), ("status", "403")));

        Assert.Equal($"/files/{AuditScrubber.HashPrefix(Token)}/raw", scrubbed.Detail["path"]);
        Assert.Equal("403", scrubbed.Detail["status"]);
    }

    [Fact]
    public void A_token_in_the_reason_and_a_sensitive_field_are_scrubbed_together()
    {
        var scrubbed = Scrubber.Scrub(Event($"refused {Token}", ("Authorization", "Bearer sk_live_1"), ("host", "example.com")));

        Assert.Equal($"refused {AuditScrubber.HashPrefix(Token)}", scrubbed.Reason);
        Assert.Equal(AuditScrubber.Redacted, scrubbed.Detail["Authorization"]);
        Assert.Equal("example.com", scrubbed.Detail["host"]);
    }
}
