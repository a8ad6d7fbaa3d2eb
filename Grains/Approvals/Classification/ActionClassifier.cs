using System.Text.Json;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>
/// Decides the risk of an action from the admin table, the payload (for generic tools) and the
/// tenant's overrides. Pure: no I/O, no state besides the configuration it was built with.
/// </summary>
public sealed class ActionClassifier
{
    private readonly Dictionary<string, RiskLevel> _table;
    private readonly Dictionary<string, RiskLevel> _floors;
    private readonly Dictionary<string, IPayloadClassifier> _payloadClassifiers;

    public ActionClassifier(IOptions<ClassificationOptions> options, IEnumerable<IPayloadClassifier> payloadClassifiers)
    {
        _table = new(options.Value.Actions, StringComparer.Ordinal);
        _floors = new(options.Value.TenantFloors, StringComparer.Ordinal);
        _payloadClassifiers = new(StringComparer.Ordinal);
        foreach (var classifier in payloadClassifiers)
        {
            // Two readers for one action would make the result depend on registration order.
            if (!_payloadClassifiers.TryAdd(classifier.Action, classifier))
                throw new InvalidOperationException($"Two payload classifiers registered for '{classifier.Action}'.");
        }

        var delegated = _floors.Keys.Where(_payloadClassifiers.ContainsKey).ToList();
        if (delegated.Count > 0)
            throw new InvalidOperationException(
                $"{ClassificationOptions.Section}:TenantFloors cannot name payload-classified actions: {string.Join(", ", delegated)}.");
    }

    public ActionClassification Classify(string action, string? payloadJson, IReadOnlyDictionary<string, RiskLevel>? tenantOverrides = null) =>
        Classify(action, () => PayloadDocument.TryParse(payloadJson), tenantOverrides);

    public ActionClassification Classify(string action, ReadOnlyMemory<byte> utf8Payload, IReadOnlyDictionary<string, RiskLevel>? tenantOverrides = null) =>
        Classify(action, () => PayloadDocument.TryParse(utf8Payload), tenantOverrides);

    private ActionClassification Classify(string action, Func<JsonDocument?> parse, IReadOnlyDictionary<string, RiskLevel>? tenantOverrides)
    {
        if (string.IsNullOrWhiteSpace(action))
            return ActionClassification.Irreversible("no action named");
        return TenantOverrides.Apply(action, ByAdmin(action, parse), tenantOverrides, _floors);
    }

    /// <summary>
    /// Why a tenant's override would be ignored (<see cref="TenantOverrides.Apply"/> never lowers past the
    /// admin's floor), so that it is refused when it is set rather than found out at authorize time; null
    /// when it takes effect. An action its payload decides is only ever raised by an override, so any is taken.
    /// </summary>
    public string? OverrideRefusal(string action, RiskLevel requested)
    {
        if (_payloadClassifiers.ContainsKey(action))
            return null;
        var admin = _table.TryGetValue(action, out var listed) ? TenantOverrides.Defined(listed) : RiskLevel.Irreversible;
        var floor = _floors.TryGetValue(action, out var f) && TenantOverrides.Defined(f) < admin ? TenantOverrides.Defined(f) : admin;
        if (requested >= floor)
            return null;
        var source = _table.ContainsKey(action) ? "the admin's action table" : "being unknown to the admin's action table";
        return floor == admin
            ? $"{action}={requested} is below the admin's floor {floor}: {action} is {admin} by {source}, and tenants may not lower it (it is not in {ClassificationOptions.Section}:TenantFloors)"
            : $"{action}={requested} is below the admin's floor {floor}: a tenant may lower {action} from {admin} to {floor} at most ({ClassificationOptions.Section}:TenantFloors)";
    }

    private ActionClassification ByAdmin(string action, Func<JsonDocument?> parse)
    {
        var listed = _table.TryGetValue(action, out var risk);
        if (!_payloadClassifiers.TryGetValue(action, out var reader))
        {
            return listed
                ? new(TenantOverrides.Defined(risk), $"{action}: {TenantOverrides.Defined(risk)} by the action table")
                : ActionClassification.Irreversible($"unknown action {PayloadFields.Quote(action)}");
        }

        using var document = parse();
        if (document is null)
            return ActionClassification.Irreversible($"{action}: malformed payload, not a JSON object with unique field names");
        var read = Guarded(reader, document.RootElement);
        var minimum = listed ? TenantOverrides.Defined(risk) : RiskLevel.Reversible;
        return minimum > read.Risk
            ? read with { Risk = minimum, Reason = $"{read.Reason}; the action table says at least {minimum}" }
            : read;
    }

    // A classifier that throws on a payload it did not expect has not shown it to be safe.
    private static ActionClassification Guarded(IPayloadClassifier reader, JsonElement payload)
    {
        try
        {
            return reader.Classify(payload) is { } read && Enum.IsDefined(read.Risk)
                ? read
                : ActionClassification.Irreversible($"{reader.Action}: classifier gave no valid level");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ActionClassification.Irreversible($"{reader.Action}: classifier failed ({e.GetType().Name})");
        }
    }
}
