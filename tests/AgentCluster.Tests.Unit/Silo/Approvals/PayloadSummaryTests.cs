using AgentCluster.Silo.Approvals;

namespace AgentCluster.Tests.Unit.Silo.Approvals;

public sealed class PayloadSummaryTests
{
    [Fact]
    public void An_http_request_reads_as_its_method_url_headers_and_body_fields()
    {
        const string payload = """
            {"method":"POST","url":"https://api.stripe.com/v1/payouts","headers":{"idempotency-key":"k1"},
             "bodyBytes":60,"bodySha256":"ab12","body":{"amount":"2000","currency":"usd","destination":"acct_1","card_number":"[redacted]"}}
            """;

        Assert.Equal(
        [
            "POST https://api.stripe.com/v1/payouts", "idempotency-key: k1", "amount: 2000", "currency: usd", "destination: acct_1",
            "card_number: [redacted]", "body: 60 bytes, sha256 ab12",
        ], PayloadSummary.Of(payload));
    }

    [Fact]
    public void An_override_and_a_cut_body_are_said()
    {
        var lines = PayloadSummary.Of("""{"method":"DELETE","url":"http://h/x","sentAs":"GET","bodyBytes":99999,"bodySha256":"cd","body":"text","bodyTruncated":true}""");

        Assert.Equal("DELETE http://h/x (sent as GET)", lines[0]);
        Assert.Contains("body: text", lines);
        Assert.Contains("body: 99999 bytes (first 16 KiB shown), sha256 cd", lines);
    }

    [Fact]
    public void Any_other_payload_reads_as_its_fields_nested_ones_by_path()
    {
        Assert.Equal(["amount: 1999", "customer.id: cus_9", "items[0]: a"],
            PayloadSummary.Of("""{"amount":1999,"customer":{"id":"cus_9"},"items":["a"]}"""));
    }

    [Fact]
    public void What_an_agent_wrote_stays_one_short_line_each()
    {
        var lines = PayloadSummary.Of("{\"memo\":\"a\\nb" + new string('x', 500) + "\"}");

        var line = Assert.Single(lines);
        Assert.DoesNotContain('\n', line);
        Assert.True(line.Length < 220);
        Assert.Equal(["[not JSON: 3 bytes]"], PayloadSummary.Of("[not JSON: 3 bytes]"));
    }
}
