using AgentCluster.Grains.Approvals.Classification;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Gate;

/// <summary>What a session needs to gate a tool call: its risk, its redacted form and how to undo it.</summary>
public sealed class ActionGate(ActionClassifier classifier, PayloadRedactor redactor, IOptions<GateOptions> options)
{
    public ActionClassification Classify(ActionRequest request, ApprovalPolicy policy) =>
        request.Payload.Length > options.Value.MaxPayloadBytes
            ? ActionClassification.Irreversible($"payload over {options.Value.MaxPayloadBytes} bytes")
            : classifier.Classify(request.Action, request.Payload, policy.RiskOverrides);

    public string Redact(ActionRequest request) => redactor.Redact(request.Payload);

    public string RevertHint(string action) =>
        options.Value.RevertHints.TryGetValue(action, out var hint) ? hint : GateOptions.NoRevertHint;
}
