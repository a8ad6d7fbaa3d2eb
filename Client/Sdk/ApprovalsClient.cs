using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>ApprovalService: the approver's side (approver key to decide; admin or auditor keys may read).</summary>
public sealed class ApprovalsClient
{
    private readonly ApprovalService.ApprovalServiceClient _client;
    private readonly CallDefaults _defaults;

    internal ApprovalsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new ApprovalService.ApprovalServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>
    /// Pending approvals of the caller's tenant (a cluster admin's: every tenant's), or of <paramref name="tenant"/>
    /// (a cluster admin may pass <c>*</c>).
    /// </summary>
    public async Task<IReadOnlyList<ApprovalInfo>> ListAsync(string? tenant = null, CancellationToken cancellationToken = default) =>
        (await ListPendingAsync(tenant, cancellationToken)).Approvals;

    /// <summary>As <see cref="ListAsync"/>, and whether the calling key may decide them (has the approver role).</summary>
    public async Task<PendingApprovals> ListPendingAsync(string? tenant = null, CancellationToken cancellationToken = default)
    {
        var response = await _client.ListApprovalsAsync(new ListApprovalsRequest { Tenant = tenant ?? "" }, _defaults.For(cancellationToken));
        return new PendingApprovals([.. response.Approvals.Select(ApprovalInfo.From)], response.CanDecide);
    }

    public async Task<ApprovalInfo> GetAsync(string id, CancellationToken cancellationToken = default) =>
        ApprovalInfo.From(await _client.GetApprovalAsync(new GetApprovalRequest { Id = id }, _defaults.For(cancellationToken)));

    public async Task<ApprovalInfo> ApproveAsync(string id, string? comment = null, CancellationToken cancellationToken = default) =>
        ApprovalInfo.From(await _client.ApproveAsync(new DecideRequest { Id = id, Note = comment ?? "" }, _defaults.For(cancellationToken)));

    public async Task<ApprovalInfo> DenyAsync(string id, string reason, CancellationToken cancellationToken = default) =>
        ApprovalInfo.From(await _client.DenyAsync(new DecideRequest { Id = id, Note = reason }, _defaults.For(cancellationToken)));
}

/// <summary>Pending approvals, and whether the key that listed them may approve or deny them.</summary>
public sealed record PendingApprovals(IReadOnlyList<ApprovalInfo> Approvals, bool CanDecide);
