using System.Globalization;
using System.Text.RegularExpressions;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

internal sealed partial class TenantApi(IGrainFactory grains, IAuditLog audit, ISecretVault vault) : TenantService.TenantServiceBase
{
    private static readonly TimeSpan MaxTtlCeiling = TimeSpan.FromDays(1);

    public override async Task<Tenant> CreateTenant(CreateTenantRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireClusterAdmin();
        var quotas = Validate(request);
        var result = await grains.GetGrain<ITenantGrain>(request.Name).Create(quotas);
        if (result.Status == TenantCreateStatus.AlreadyExists)
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"tenant {request.Name} already exists"));
        await audit.AppendAsync(AuditedAdministration.Event(caller, request.Name, AuditKinds.TenantCreated, request.Name,
        [
            ("maxSessions", quotas.MaxSessions.ToString(CultureInfo.InvariantCulture)),
            ("maxSessionTtlSeconds", ((long)quotas.MaxSessionTtl.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
            ("allowedImages", string.Join(",", quotas.AllowedImages)), .. CpuDetail(quotas),
        ]));
        return ToProto(result.Tenant);
    }

    public override async Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin, Roles.Auditor);
        var names = caller.IsClusterAdmin
            ? await grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List()
            : [caller.Tenant];
        var tenants = await Task.WhenAll(names.Select(n => grains.GetGrain<ITenantGrain>(n).Get()));
        var response = new ListTenantsResponse();
        response.Tenants.AddRange(tenants.OfType<TenantInfo>().Select(ToProto));
        return response;
    }

    public override async Task<Tenant> GetTenant(GetTenantRequest request, ServerCallContext context)
    {
        var name = Caller.From(context).TenantFor(request.Name);
        var tenant = await grains.GetGrain<ITenantGrain>(name).Get()
            ?? throw Caller.NotFound("tenant", name);
        return ToProto(tenant);
    }

    internal static TenantQuotas Validate(CreateTenantRequest request)
    {
        if (!TenantName().IsMatch(request.Name))
            throw Invalid("tenant name must be 1-63 characters of a-z, 0-9 and '-', starting with a letter or digit");
        if (request.Name == SystemTenant.Name)
            throw Invalid($"tenant name {SystemTenant.Name} is reserved");
        if (request.MaxSessions < 0)
            throw Invalid("max sessions must not be negative");

        var ttl = request.MaxSessionTtl?.ToTimeSpan() ?? TenantQuotas.DefaultMaxSessionTtl;
        if (ttl <= TimeSpan.Zero || ttl > MaxTtlCeiling)
            throw Invalid($"max session TTL must be more than 0 and at most {MaxTtlCeiling.TotalHours:0}h");

        var images = request.AllowedImages.Count == 0 ? TenantQuotas.DefaultAllowedImages : [.. request.AllowedImages];
        if (images.Any(i => string.IsNullOrWhiteSpace(i) || i.Any(char.IsWhiteSpace)))
            throw Invalid("allowed image patterns must be non-empty and contain no spaces");

        var grants = request.AllowedGrants.Count == 0 ? TenantQuotas.DefaultAllowedGrants : [.. request.AllowedGrants.Select(g => g.Trim().ToLowerInvariant())];
        if (grants.Any(g => !GrantPattern().IsMatch(g)))
            throw Invalid("allowed grants must be resource:action patterns, each part a name or *, actions read, write or delete");
        var grantTtl = request.MaxGrantTtl?.ToTimeSpan() ?? TenantQuotas.GrantTtlCeiling;
        if (grantTtl <= TimeSpan.Zero || grantTtl > TenantQuotas.GrantTtlCeiling)
            throw Invalid($"max grant TTL must be more than 0 and at most {TenantQuotas.GrantTtlCeiling.TotalSeconds:0}s");

        return WithCpus(new TenantQuotas(
            request.MaxSessions == 0 ? TenantQuotas.DefaultMaxSessions : request.MaxSessions, ttl, images)
        {
            AllowedGrants = grants,
            MaxGrantTtl = grantTtl,
        }, request);
    }

    internal static Tenant ToProto(TenantInfo t) => new()
    {
        Name = t.Name,
        MaxSessions = t.Quotas.MaxSessions,
        MaxSessionTtl = Duration.FromTimeSpan(t.Quotas.MaxSessionTtl),
        AllowedImages = { t.Quotas.AllowedImages },
        CreatedAt = Timestamp.FromDateTimeOffset(t.CreatedAt),
        AllowedGrants = { t.Quotas.AllowedGrants.IsDefault ? TenantQuotas.DefaultAllowedGrants : t.Quotas.AllowedGrants },
        MaxGrantTtl = Duration.FromTimeSpan(t.Quotas.MaxGrantTtl),
        ApprovalTimeout = Duration.FromTimeSpan(t.Approvals.Timeout),
        RiskOverrides = { t.Approvals.RiskOverrides.ToDictionary(p => p.Key, p => p.Value.ToString()) },
        WebhookUrl = Shown(t.Approvals.WebhookUrl),
        MaxPendingApprovals = t.Approvals.MaxPendingPerSession,
        DefaultNanoCpus = t.Quotas.DefaultNanoCpus,
        MaxNanoCpus = t.Quotas.MaxNanoCpus,
    };

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex TenantName();

    [GeneratedRegex("^([a-z0-9][a-z0-9_-]{0,62}|\\*):(read|write|delete|\\*)$")]
    private static partial Regex GrantPattern();
}
