using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Leases;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// The approval gate at the HTTP level: the request is named by <see cref="HttpActionRules"/> and
/// classified by the session's gate. An irreversible one is held, connection open, while its
/// approval is pending; it goes out only once approved, exactly as it was held (the body was
/// buffered before, and its hash is part of what the approver approved).
/// </summary>
internal sealed class HttpApprovalGate(
    IClusterClient cluster, HttpActionRules rules, HttpGateOptions options, LeasedAnswers answers, ILogger<HttpApprovalGate> logger)
    : IRequestGate
{
    public const string Actor = "egress-proxy";

    public async Task<string?> Refusal(EgressPolicy policy, HttpContext context, Authority target, CancellationToken ct)
    {
        var action = rules.ActionFor(context.Request.Method, target.Host, context.Request.Path.Value ?? "/");
        var payload = await Payload(context, target);
        var request = new ActionRequest(action, payload, Actor);
        // Most requests are reads: a read-only, interleaving check lets them through without queueing
        // behind the session or writing an audit row of their own (the egress row records them).
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(payload));
        if (await answers.IsRead(policy.SessionId, action, payloadHash,
                async () => (await Session(policy).Classify(request))?.Risk == RiskLevel.Reversible))
            return null;
        var answer = await Session(policy).Authorize(request);
        switch (answer?.Decision)
        {
            case null:
                return "approval-session-unknown";
            case GateDecision.SessionEnded:
                return "approval-session-ended";
            case GateDecision.TooManyPending:
                return IRequestGate.TooManyPending;
            case GateDecision.Allowed:
                return null;
        }

        var approval = cluster.GetGrain<IApprovalGrain>(answer.ApprovalId!);
        logger.LogInformation("Session {Session}: {Method} {Host} held as {Action} for approval {Approval}",
            policy.SessionId, context.Request.Method, target.Host, action, answer.ApprovalId);
        while (true)
        {
            // A client that gives up leaves the approval to its deadline: nothing goes out for it.
            ct.ThrowIfCancellationRequested();
            var info = await approval.WaitForDecision(options.PollWindow);
            switch (info?.Status)
            {
                case ApprovalStatus.Approved:
                    return null;
                case ApprovalStatus.Denied or ApprovalStatus.Expired:
                    return $"approval-{info.Status.ToString().ToLowerInvariant()} {info.Id}";
                case null:
                    return $"approval-missing {answer.ApprovalId}";
            }
        }
    }

    // Made only when the cluster is asked: a grain reference costs a type lookup, and a remembered read needs none.
    private ISessionGrain Session(EgressPolicy policy) => cluster.GetGrain<ISessionGrain>(policy.SessionId);

    /// <summary>
    /// What the approval binds: method, URL (the query too: another query is another request) and
    /// the body's SHA-256; <c>http.request</c>'s classifier reads the method and URL.
    /// </summary>
    private static async Task<byte[]> Payload(HttpContext context, Authority target)
    {
        var request = context.Request;
        var scheme = context.Request.IsHttps || target.Port == 443 ? "https" : "http";
        var port = (scheme, target.Port) is ("https", 443) or ("http", 80) ? "" : ":" + target.Port.ToString(CultureInfo.InvariantCulture);
        var host = target.Host.Contains(':') ? $"[{target.Host}]" : target.Host;
        var fields = new Dictionary<string, string>
        {
            ["method"] = request.Method,
            ["url"] = $"{scheme}://{host}{port}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}",
        };
        if (request.Body.CanSeek && request.Body.Length > 0)
        {
            request.Body.Position = 0;
            fields["bodySha256"] = Convert.ToHexStringLower(await SHA256.HashDataAsync(request.Body, context.RequestAborted));
            request.Body.Position = 0;
        }
        return JsonSerializer.SerializeToUtf8Bytes(fields);
    }
}
