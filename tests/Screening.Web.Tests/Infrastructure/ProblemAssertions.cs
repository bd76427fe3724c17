using System.Net;
using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Assertions on RFC 9457 problem documents and successful raw responses.</summary>
public static class ProblemAssertions
{
    /// <summary>The response is a problem document with this status and a human title; returns it.</summary>
    public static JsonObject AssertProblem(this RawResponse response, HttpStatusCode status)
    {
        Assert.True(response.Status == status, $"Expected {(int)status} but got {(int)response.Status}: {response.Text}");
        Assert.Equal("application/problem+json", response.MediaType);
        var problem = response.Json as JsonObject ?? throw new Xunit.Sdk.XunitException($"Not a JSON object: {response.Text}");
        Assert.Equal((int)status, problem["status"]?.GetValue<int>());
        Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()), $"The problem has no title: {response.Text}");
        return problem;
    }

    /// <summary>The response is a 400 whose <c>errors</c> has every one of these keys; returns <c>errors</c>.</summary>
    public static JsonObject AssertValidation(this RawResponse response, params string[] keys)
    {
        var problem = response.AssertProblem(HttpStatusCode.BadRequest);
        var errors = problem["errors"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"The problem has no 'errors': {response.Text}");
        Assert.NotEmpty(errors);
        foreach (var key in keys)
        {
            Assert.True(errors.ContainsKey(key), $"'errors' has no key '{key}': {errors.ToJsonString()}");
            Assert.NotEmpty(errors[key]!.AsArray());
        }

        return errors;
    }

    /// <summary>The response has this (success) status and a JSON body; returns the body.</summary>
    public static JsonNode AssertSuccess(this RawResponse response, HttpStatusCode status = HttpStatusCode.OK)
    {
        Assert.True(response.Status == status, $"Expected {(int)status} but got {(int)response.Status}: {response.Text}");
        return response.Json ?? throw new Xunit.Sdk.XunitException($"No JSON body: {response.Text}");
    }
}
