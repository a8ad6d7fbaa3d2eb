using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Pipeline.Steps;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Tests.Unit.Proxy.Pipeline;

public sealed class EgressStepsTests
{
    // Only queues its rows: no cluster is ever asked in these tests.
    private static readonly EgressAudit Audit = new(null!,
        new UnauthenticatedDenials(null!, new EgressOptions(), NullLogger<UnauthenticatedDenials>.Instance), NullLogger<EgressAudit>.Instance);

    [Fact]
    public void Identity_runs_first_and_the_gate_last()
    {
        var steps = new EgressSteps(new IdentityStep(null!, null!), new ShapeStep(), new LimitsStep(null!), new AllowlistStep(),
            new AddressStep(null!), new BodyStep(null!), new CredentialStep(null!), new UpgradeStep(), new GateStep(null!, null!), Audit);
        Assert.Equal(
            [typeof(IdentityStep), typeof(ShapeStep), typeof(LimitsStep), typeof(AllowlistStep), typeof(AddressStep),
                typeof(BodyStep), typeof(CredentialStep), typeof(UpgradeStep), typeof(GateStep)],
            steps.Steps.Select(s => s.GetType()));
    }

    [Fact]
    public async Task The_first_refusal_ends_the_exchange_and_no_later_step_runs()
    {
        var ran = new List<string>();
        var steps = new EgressSteps([new Step("a", ran, null), new Step("b", ran, EgressRefusal.Denied("b")), new Step("c", ran, null)], Audit);
        using var exchange = Exchanges.Http("http://api.example.com/");
        Assert.Equal("b", (await steps.Refusal(exchange))?.Reason);
        Assert.Equal(["a", "b"], ran);
    }

    [Fact]
    public async Task Every_step_passing_is_no_refusal()
    {
        var ran = new List<string>();
        using var exchange = Exchanges.Http("http://api.example.com/");
        Assert.Null(await new EgressSteps([new Step("a", ran, null), new Step("b", ran, null)], Audit).Refusal(exchange));
        Assert.Equal(["a", "b"], ran);
    }

    [Fact]
    public async Task A_refused_exchange_is_answered_with_the_opaque_code_only()
    {
        var steps = new EgressSteps([new Step("a", [], new EgressRefusal(403, "credential_unavailable", "grant-revoked"))], Audit);
        using var exchange = Exchanges.Http("http://api.example.com/");
        var body = new MemoryStream();
        exchange.Context.Response.Body = body;
        Assert.False(await steps.Pass(exchange));
        Assert.Equal(403, exchange.Context.Response.StatusCode);
        Assert.Equal("credential_unavailable\n", System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    private sealed class Step(string name, List<string> ran, EgressRefusal? refusal) : IEgressStep
    {
        public ValueTask<EgressRefusal?> Check(EgressExchange exchange)
        {
            ran.Add(name);
            return ValueTask.FromResult(refusal);
        }
    }
}
