using System.Runtime.CompilerServices;
using AgentCluster.Api.V1;
using AgentCluster.Audit;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// AuditService (auditor or admin key): read the tamper-evident log, and verify it here, by
/// recomputing every hash with the silo's own chain code rather than trusting the server's word.
/// Streams have no deadline; cancel them.
/// </summary>
public sealed class AuditClient
{
    private readonly AuditService.AuditServiceClient _client;
    private readonly CallDefaults _defaults;

    internal AuditClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new AuditService.AuditServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>The newest matching rows, oldest first; with <see cref="AuditTailQuery.Follow"/>, then new rows until cancelled.</summary>
    public async IAsyncEnumerable<AuditEntry> TailAsync(
        AuditTailQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var request = new TailAuditRequest
        {
            Tenant = query.Tenant ?? string.Empty,
            Follow = query.Follow,
            Kind = query.Kind ?? string.Empty,
            Session = query.Session ?? string.Empty,
            Since = ProtoTime.FromDateTimeOffset(query.Since),
            Limit = query.Limit ?? 0,
        };
        using var call = _client.Tail(request, CallDefaults.ForStream(cancellationToken));
        await foreach (var record in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return AuditEntry.From(record);
        }
    }

    /// <summary>Every row in (tenant, seq) order: of <paramref name="tenant"/>, or of every tenant the key sees.</summary>
    public async IAsyncEnumerable<AuditEntry> ExportAsync(
        string? tenant = null, DateTimeOffset? since = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new ExportAuditRequest { Tenant = tenant ?? string.Empty, Since = ProtoTime.FromDateTimeOffset(since) };
        using var call = _client.Export(request, CallDefaults.ForStream(cancellationToken));
        await foreach (var record in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return AuditEntry.From(record);
        }
    }

    /// <summary>The latest (seq, hash) of each chain the key sees, or of one tenant's.</summary>
    public async Task<IReadOnlyList<AuditHeadInfo>> GetHeadsAsync(string? tenant = null, CancellationToken cancellationToken = default)
    {
        var heads = await _client.GetHeadsAsync(new GetAuditHeadsRequest { Tenant = tenant ?? string.Empty }, _defaults.For(cancellationToken));
        return [.. heads.Heads.Select(AuditHeadInfo.From)];
    }

    /// <summary>
    /// Exports every row from seq 1 and recomputes each tenant's chain. With an <paramref name="anchor"/>
    /// (<c>seq:hash</c>, as <see cref="AuditHeadInfo.Anchor"/> prints it) the chain must still hold that
    /// exact row, which catches deleted tails and wholesale rewrites; an anchor needs exactly one tenant
    /// in scope, so without <paramref name="tenant"/> the key must see only one.
    /// </summary>
    /// <exception cref="ArgumentException">The anchor is not <c>seq:hash</c>.</exception>
    /// <exception cref="AuditAnchorScopeException">An anchor, no tenant, and the key sees several.</exception>
    public async Task<AuditVerificationReport> VerifyAsync(
        string? tenant = null, string? anchor = null, CancellationToken cancellationToken = default)
    {
        tenant = string.IsNullOrEmpty(tenant) ? null : tenant;
        AuditAnchor? parsed = null;
        if (anchor is not null)
        {
            if (!AuditAnchor.TryParse(anchor, out var a))
            {
                throw new ArgumentException("An anchor is seq:hash, a seq of at least 1 and 64 hex digits.", nameof(anchor));
            }

            parsed = a;
            tenant ??= await SingleTenantAsync(cancellationToken);
        }

        var results = await AuditChainVerifier.VerifyAsync(ExportAsync(tenant, null, cancellationToken), tenant, parsed, cancellationToken);
        return new AuditVerificationReport(results) { Anchor = parsed is { } p ? $"{p.Seq}:{p.Hash}" : null };
    }

    private async Task<string?> SingleTenantAsync(CancellationToken cancellationToken)
    {
        var heads = await GetHeadsAsync(null, cancellationToken);
        var tenants = heads.Select(h => h.Tenant).Distinct(StringComparer.Ordinal).ToList();
        return tenants.Count switch
        {
            0 => null,
            1 => tenants[0],
            _ => throw new AuditAnchorScopeException(tenants),
        };
    }
}
