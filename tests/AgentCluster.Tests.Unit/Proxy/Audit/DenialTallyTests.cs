using System.Net;
using AgentCluster.Proxy.Audit;

namespace AgentCluster.Tests.Unit.Proxy.Audit;

public sealed class DenialTallyTests
{
    [Fact]
    public void A_flood_is_one_row_per_source_with_its_count_and_reasons()
    {
        var tally = new DenialTally();
        for (var i = 0; i < 1000; i++)
            tally.Count(IPAddress.Parse("10.0.0.7"), i % 4 == 0 ? "no-credential" : "bad-or-dead-credential");
        tally.Count(IPAddress.Parse("::ffff:10.0.0.8"), "source-rate-limit");

        var rows = tally.Take(TimeSpan.FromSeconds(10));

        Assert.Equal(2, rows.Count);
        Assert.Equal(("system", "anonymous", "egress.denied"), (rows[0].Tenant, rows[0].Actor, rows[0].Kind));
        Assert.Equal("10.0.0.7", rows[0].Detail["source"]);
        Assert.Equal("1000", rows[0].Detail["count"]);
        Assert.Equal("bad-or-dead-credential=750,no-credential=250", rows[0].Detail["reasons"]);
        Assert.Equal("10.0.0.8", rows[1].Detail["source"]);
        Assert.Empty(tally.Take(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Sources_past_the_bound_are_counted_together()
    {
        var tally = new DenialTally();
        for (var i = 0; i < 10_050; i++)
            tally.Count(new IPAddress(i + 1), "no-credential");

        var rows = tally.Take(TimeSpan.FromSeconds(1));

        Assert.Equal(10_001, rows.Count);
        Assert.Equal("50", Assert.Single(rows, r => r.Detail["source"] == "other").Detail["count"]);
    }
}
