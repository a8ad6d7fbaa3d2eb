using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using AgentCluster.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>ActionService: the orchestrator's side of the approval gate (authorize, wait, complete).</summary>
public sealed class ActionsClient
{
    private readonly ActionService.ActionServiceClient _client;
    private readonly CallDefaults _defaults;

    internal ActionsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new ActionService.ActionServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>Lower-case hex SHA-256 of the payload: what an approval is bound to.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    public async Task<ActionAuthorization> AuthorizeAsync(string session, string action, byte[] payload, CancellationToken cancellationToken = default)
    {
        var request = new AuthorizeRequest { Session = session, Action = action, Payload = ByteString.CopyFrom(payload) };
        return ActionAuthorization.From(await _client.AuthorizeAsync(request, _defaults.For(cancellationToken)));
    }

    /// <summary>The approval's state now, again every few seconds while it is pending, and last its decision.</summary>
    public async IAsyncEnumerable<ApprovalInfo> WaitAsync(string approvalId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var call = _client.WaitForDecision(new WaitForDecisionRequest { ApprovalId = approvalId }, CallDefaults.ForStream(cancellationToken));
        await foreach (var approval in call.ResponseStream.ReadAllAsync(cancellationToken))
            yield return ApprovalInfo.From(approval);
    }

    /// <summary>Reports that the approved action ran with exactly <paramref name="payload"/>; <paramref name="outcome"/> is succeeded or failed.</summary>
    public async Task CompleteAsync(string approvalId, byte[] payload, string outcome, CancellationToken cancellationToken = default)
    {
        var request = new CompleteRequest { ApprovalId = approvalId, PayloadSha256 = PayloadHash(payload), Outcome = outcome };
        await _client.CompleteAsync(request, _defaults.For(cancellationToken));
    }
}
