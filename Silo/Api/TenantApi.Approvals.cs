using System.Globalization;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Notices;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

internal sealed partial class TenantApi
{
    public override async Task<UpdateTenantResponse> UpdateTenant(UpdateTenantRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin);
        var name = caller.TenantFor(request.Name);
        // The silo itself posts to the webhook, so only a cluster admin may point it somewhere.
        if ((request.HasWebhookUrl || request.RotateWebhookSecret) && !caller.IsClusterAdmin)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "only a cluster admin may set a tenant's webhook"));
        var tenant = await grains.GetGrain<ITenantGrain>(name).Get() ?? throw Caller.NotFound("tenant", name);
        var policy = Updated(tenant.Approvals, request);
        var quotas = WithCpus(tenant.Quotas, request, caller);
        if (request.ReplaceRiskOverrides)
            RefuseBelowFloors(policy, context.GetHttpContext().RequestServices.GetRequiredService<ActionClassifier>());

        var secret = "";
        if (policy.WebhookUrl is not null
            && (request.RotateWebhookSecret || await vault.FindAsync(name, WebhookOptions.SecretResource, context.CancellationToken) is null))
        {
            secret = WebhookSignature.NewSecret();
            await vault.PutAsync(new Grains.Credentials.SecretMetadata(name, WebhookOptions.SecretResource, [], [], null, null, null, "", default),
                secret, context.CancellationToken);
        }
        if (quotas != tenant.Quotas)
            await grains.GetGrain<ITenantGrain>(name).UpdateQuotas(quotas);
        var updated = await grains.GetGrain<ITenantGrain>(name).UpdateApprovals(policy) ?? throw Caller.NotFound("tenant", name);
        await audit.AppendAsync(AuditedAdministration.Event(caller, name, AuditKinds.TenantUpdated, name,
        [
            ("approvalTimeoutSeconds", ((long)policy.Timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            ("riskOverrides", string.Join(",", policy.RiskOverrides.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))),
            ("maxPendingApprovals", policy.MaxPendingPerSession.ToString(CultureInfo.InvariantCulture)),
            ("webhook", Shown(policy.WebhookUrl)),
            ("webhookSecretRotated", secret.Length > 0 ? "true" : "false"), .. CpuDetail(quotas),
        ]));
        return new UpdateTenantResponse { Tenant = ToProto(updated), WebhookSecret = secret };
    }

    private static ApprovalPolicy Updated(ApprovalPolicy current, UpdateTenantRequest request)
    {
        var policy = current;
        if (request.ApprovalTimeout is { } t)
        {
            var timeout = t.ToTimeSpan();
            if (timeout < TimeSpan.FromSeconds(1) || timeout > ApprovalPolicy.MaxTimeout)
                throw Invalid($"approval timeout must be at least 1s and at most {ApprovalPolicy.MaxTimeout.TotalHours:0}h");
            policy = policy with { Timeout = timeout };
        }
        if (request.HasMaxPendingApprovals)
        {
            if (request.MaxPendingApprovals is < 1 or > ApprovalPolicy.MaxPendingCeiling)
                throw Invalid($"max pending approvals must be between 1 and {ApprovalPolicy.MaxPendingCeiling}");
            policy = policy with { MaxPendingPerSession = request.MaxPendingApprovals };
        }
        if (request.HasWebhookUrl)
            policy = policy with { WebhookUrl = request.WebhookUrl.Length == 0 ? null : WebhookUrl(request.WebhookUrl) };
        if (request.RotateWebhookSecret && policy.WebhookUrl is null)
            throw Invalid("there is no webhook to rotate the secret of");
        if (request.ReplaceRiskOverrides)
        {
            var overrides = new Dictionary<string, RiskLevel>(StringComparer.Ordinal);
            foreach (var (action, level) in request.RiskOverrides)
            {
                if (string.IsNullOrWhiteSpace(action) || action.Length > 200 || action.Any(char.IsControl))
                    throw Invalid("a risk override names an action of at most 200 printable characters");
                if (!System.Enum.TryParse<RiskLevel>(level, ignoreCase: true, out var risk) || !System.Enum.IsDefined(risk)
                    || int.TryParse(level, out _))
                    throw Invalid($"risk level for {action} must be Reversible, RecoverableWithAudit or Irreversible");
                overrides[action] = risk;
            }
            policy = policy with { RiskOverrides = overrides };
        }
        else if (request.RiskOverrides.Count > 0)
            throw Invalid("risk overrides replace the whole map: set replace_risk_overrides");
        return policy;
    }

    /// <summary>An override the classifier would ignore is refused now, naming the floor, and nothing is changed.</summary>
    private static void RefuseBelowFloors(ApprovalPolicy policy, ActionClassifier classifier)
    {
        var refusals = policy.RiskOverrides.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => classifier.OverrideRefusal(p.Key, p.Value)).OfType<string>().ToList();
        if (refusals.Count > 0)
            throw Invalid(string.Join("; ", refusals));
    }

    /// <summary>Webhook URLs often carry a token in their path or query, so only the origin is ever shown or audited.</summary>
    internal static string Shown(string? url) =>
        url is null ? "" : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.GetLeftPart(UriPartial.Authority)}/…" : "…";

    private static string WebhookUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
            && uri.Fragment.Length == 0 && url.Length <= 2000
            ? uri.AbsoluteUri
            : throw Invalid("the webhook URL must be an absolute http(s) URL without user info or fragment");
}
