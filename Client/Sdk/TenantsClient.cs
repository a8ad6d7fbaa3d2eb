using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>TenantService: create and read tenants.</summary>
public sealed class TenantsClient
{
    private readonly TenantService.TenantServiceClient _client;
    private readonly CallDefaults _defaults;

    internal TenantsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new TenantService.TenantServiceClient(channel);
        _defaults = defaults;
    }

    public async Task<TenantInfo> CreateAsync(NewTenant tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var request = new CreateTenantRequest
        {
            Name = tenant.Name,
            MaxSessions = tenant.MaxSessions ?? 0,
            MaxSessionTtl = tenant.MaxSessionTtl is { } ttl ? Duration.FromTimeSpan(ttl) : null,
        };
        request.AllowedImages.AddRange(tenant.AllowedImages);
        request.AllowedGrants.AddRange(tenant.AllowedGrants);
        request.MaxGrantTtl = tenant.MaxGrantTtl is { } grantTtl ? Duration.FromTimeSpan(grantTtl) : null;
        request.DefaultNanoCpus = tenant.DefaultNanoCpus ?? 0;
        request.MaxNanoCpus = tenant.MaxNanoCpus ?? 0;
        return TenantInfo.From(await _client.CreateTenantAsync(request, _defaults.For(cancellationToken)));
    }

    public async Task<IReadOnlyList<TenantInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var response = await _client.ListTenantsAsync(new ListTenantsRequest(), _defaults.For(cancellationToken));
        return [.. response.Tenants.Select(TenantInfo.From)];
    }

    public async Task<TenantInfo> GetAsync(string name, CancellationToken cancellationToken = default) =>
        TenantInfo.From(await _client.GetTenantAsync(new GetTenantRequest { Name = name }, _defaults.For(cancellationToken)));

    /// <summary>Changes a tenant's approval and CPU settings; returns the tenant and, when one was made, the new webhook signing secret (shown once).</summary>
    public async Task<(TenantInfo Tenant, string? WebhookSecret)> UpdateAsync(TenantUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var request = new UpdateTenantRequest
        {
            Name = update.Name,
            ApprovalTimeout = update.ApprovalTimeout is { } t ? Duration.FromTimeSpan(t) : null,
            RotateWebhookSecret = update.RotateWebhookSecret,
            ReplaceRiskOverrides = update.RiskOverrides is not null,
        };
        if (update.MaxPendingApprovals is { } pending)
            request.MaxPendingApprovals = pending;
        if (update.WebhookUrl is { } url)
            request.WebhookUrl = url;
        if (update.DefaultNanoCpus is { } defaultCpus)
            request.DefaultNanoCpus = defaultCpus;
        if (update.MaxNanoCpus is { } maxCpus)
            request.MaxNanoCpus = maxCpus;
        if (update.RiskOverrides is { } overrides)
            request.RiskOverrides.Add(overrides.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal));
        var response = await _client.UpdateTenantAsync(request, _defaults.For(cancellationToken));
        return (TenantInfo.From(response.Tenant), response.WebhookSecret.Length > 0 ? response.WebhookSecret : null);
    }
}
