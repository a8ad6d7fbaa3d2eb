using System.Security.Cryptography;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Leases;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// The approval gate at the HTTP level: the request is named by <see cref="HttpActionRules"/> and
/// classified by the session's gate. An irreversible one is held, connection open, while its
/// approval is pending; it goes on only once approved, exactly as it was held (the body was
/// buffered before, and its hash is part of what the approver approved). A client that hangs up
/// while held withdraws its approval: nobody should approve a request that can no longer go out.
/// </summary>
internal sealed class HttpApprovalGate(
    IClusterClient cluster, HttpActionRules rules, IReadOnlyList<string> shownHeaders, HttpGateOptions options, LeasedAnswers answers,
    ILogger<HttpApprovalGate> logger)
    : IRequestGate
{
    public const string Actor = "egress-proxy";

    public async Task<GateVerdict> Decide(EgressPolicy policy, GatedRequest request, CancellationToken ct)
    {
        // Every method the request may be read as: a rule for any of them names it.
        var action = request.Method.All.Select(m => rules.ActionFor(m, request.Target.Authority.Host, request.Target.RulePath))
            .FirstOrDefault(a => a != HttpGateOptions.GenericAction, HttpGateOptions.GenericAction);
        var payload = await HttpPayload.Of(request, shownHeaders, ct);
        var asked = new ActionRequest(action, payload, Actor);
        // Most requests are reads: a read-only, interleaving check lets them through without queueing
        // behind the session or writing an audit row of their own (the egress row records them).
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        if (await answers.IsRead(policy.SessionId, action, payloadHash,
                async () => (await Session(policy).Classify(asked))?.Risk == RiskLevel.Reversible))
            return GateVerdict.Pass;
        var answer = await Session(policy).Authorize(asked);
        switch (answer?.Decision)
        {
            case null:
                return GateVerdict.Refuse("approval-session-unknown");
            case GateDecision.SessionEnded:
                return GateVerdict.Refuse("approval-session-ended");
            case GateDecision.TooManyPending:
                return GateVerdict.Refuse(IRequestGate.TooManyPending);
            case GateDecision.Allowed:
                return GateVerdict.Pass;
        }

        logger.LogInformation("Session {Session}: {Method} {Host} held as {Action} for approval {Approval}",
            policy.SessionId, request.Method.Method, request.Target.Authority.Host, action, answer.ApprovalId);
        return await Held(cluster.GetGrain<IApprovalGrain>(answer.ApprovalId!), answer.ApprovalId!, ct);
    }

    private async Task<GateVerdict> Held(IApprovalGrain approval, string id, CancellationToken ct)
    {
        while (true)
        {
            ApprovalInfo? info;
            try
            {
                ct.ThrowIfCancellationRequested();
                info = await approval.WaitForDecision(options.PollWindow).WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await approval.Abandon(Actor, "the client disconnected while its request was held");
                throw;
            }
            switch (info?.Status)
            {
                case ApprovalStatus.Approved:
                    return new GateVerdict(null, id);
                case ApprovalStatus.Denied or ApprovalStatus.Expired:
                    return GateVerdict.Refuse($"approval-{info.Status.ToString().ToLowerInvariant()} {info.Id}");
                case null:
                    return GateVerdict.Refuse($"approval-missing {id}");
            }
        }
    }

    // Made only when the cluster is asked: a grain reference costs a type lookup, and a remembered read needs none.
    private ISessionGrain Session(EgressPolicy policy) => cluster.GetGrain<ISessionGrain>(policy.SessionId);
}
