using System.Collections.Immutable;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Leases;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// Decides what a request's stub tokens become. A stub is honoured only in a configured header
/// (Authorization by default), and only when the grant grain resolves it for this session, host,
/// every method the request may be read as, and its transport (TLS, unless the secret opts in to
/// plain HTTP). A stub anywhere else (query, path, body, another header) refuses the request: the
/// request line, query and body are never rewritten, so such a stub could only leak.
/// </summary>
public sealed class StubSwap(IClusterClient cluster, LeasedAnswers answers, EgressOptions options)
{
    public sealed record Outcome(SwapPlan? Plan, string? Refusal)
    {
        public static readonly Outcome None = new(null, null);
    }

    public async Task<Outcome> Decide(HttpContext context, EgressPolicy policy, Authority target, string rawTarget,
        ImmutableArray<string> methods, bool overTls)
    {
        string? header = null, stub = null, stubValue = null;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                if (StubTokens.Find(value) is not { } found)
                    continue;
                if (!options.StubHeaders.Contains(name, StringComparer.OrdinalIgnoreCase) || stub is not null)
                    return new(null, stub is null ? "stub-in-other-header" : "two-stubs");
                (header, stub, stubValue) = (name, found, value);
            }
        }
        if (StubTokens.Find(rawTarget) is not null)
            return new(null, "stub-in-target");
        if (context.Request.Body.CanSeek && await BodyHasStub(context.Request.Body))
            return new(null, "stub-in-body");
        if (stub is null)
            return Outcome.None;

        var use = new GrantUse(policy.SessionId, target.Host, methods, overTls);
        var hash = GrantTokens.Hash(stub);
        // A stub the session never issued (a guess, another session's) wakes no grant grain and writes no durable row.
        if (!policy.GrantHashes.Contains(hash) && !await cluster.GetGrain<ISessionGrain>(policy.SessionId).HoldsGrant(hash))
            return new(null, "stub-not-held");
        return Plan(await answers.Grant(policy.SessionId, hash, use, () => cluster.GetGrain<IGrantGrain>(hash).Resolve(use)),
            header!, stubValue!, stub);
    }

    /// <summary>
    /// The plan's stub asked again of its grant grain, past every cache and the grain's copy of the
    /// secret: a held request's release must meet the grant (and secret) as they are now.
    /// </summary>
    public async Task<Outcome> Recheck(SwapPlan plan, EgressPolicy policy, Authority target, ImmutableArray<string> methods, bool overTls)
    {
        var use = new GrantUse(policy.SessionId, target.Host, methods, overTls) { Fresh = true };
        return Plan(await cluster.GetGrain<IGrantGrain>(GrantTokens.Hash(plan.Stub)).Resolve(use), plan.StubHeader, plan.StubValue, plan.Stub);
    }

    private static Outcome Plan(GrantResolution resolution, string header, string stubValue, string stub) =>
        resolution.Allowed && resolution.Secret is { } secret
            ? new(new SwapPlan(header, stubValue, stub, resolution.Headers, secret), null)
            : new(null, resolution.Refusal ?? "credential-unavailable");

    private static async Task<bool> BodyHasStub(Stream body)
    {
        var bytes = new MemoryStream();
        await body.CopyToAsync(bytes);
        body.Position = 0;
        return StubTokens.In(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
    }
}
