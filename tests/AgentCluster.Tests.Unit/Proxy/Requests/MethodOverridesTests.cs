using AgentCluster.Proxy.Requests;
using Microsoft.AspNetCore.Http;

namespace AgentCluster.Tests.Unit.Proxy.Requests;

public sealed class MethodOverridesTests
{
    private static EffectiveMethod Of(string method, string query = "", params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
            dictionary.Append(name, value);
        return MethodOverrides.Of(method, dictionary, query);
    }

    [Fact]
    public void Without_an_override_the_request_is_its_own_method()
    {
        var method = Of("get");
        Assert.Equal("GET", method.Method);
        Assert.Equal(["GET"], method.All.ToArray());
        Assert.Null(method.Error);
    }

    [Theory]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    [InlineData("x-http-method-override")]
    public void Each_override_header_counts_as_the_method_it_names(string header)
    {
        var method = Of("GET", "", (header, "delete"));
        Assert.Equal("DELETE", method.Method);
        Assert.Equal(["GET", "DELETE"], method.All.ToArray());
    }

    [Fact]
    public void A_method_field_in_the_query_counts_too()
    {
        Assert.Equal(["POST", "DELETE"], Of("POST", "?a=1&_method=DELETE").All.ToArray());
        Assert.Equal(["GET", "PUT"], Of("GET", "?_METHOD=put").All.ToArray());
    }

    [Fact]
    public void An_override_naming_the_same_method_changes_nothing()
    {
        Assert.Equal(["POST"], Of("POST", "", ("X-HTTP-Method-Override", "POST")).All.ToArray());
    }

    [Theory]
    [InlineData("DELETE, PUT")]
    [InlineData("DEL ETE")]
    [InlineData(" ")]
    public void Overrides_that_disagree_or_are_no_method_are_refused(string value)
    {
        Assert.NotNull(Of("GET", "", ("X-HTTP-Method-Override", value)).Error);
    }

    [Fact]
    public void Two_headers_naming_different_methods_are_refused()
    {
        Assert.Equal("conflicting-method-overrides", Of("GET", "", ("X-HTTP-Method", "PUT"), ("X-Method-Override", "DELETE")).Error);
    }
}
