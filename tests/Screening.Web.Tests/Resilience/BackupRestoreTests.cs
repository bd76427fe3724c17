using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Resilience;

/// <summary>An online backup taken under load restores into a host that passes the consistency check, documents and all.</summary>
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ABackupTakenUnderLoadRestoresIntoAConsistentHost()
    {
        var data = Path.Combine(Path.GetTempPath(), "screening-backup", Guid.NewGuid().ToString("N"));
        string[] settings = ["--Screening:Clock:Simulated=true", "--Screening:RateLimits:WritesPerMinute=1000000"];
        var acknowledgedBeforeBackup = new ConcurrentBag<string>();
        JsonNode backup;
        var pdf = TestDocuments.Pdf("Backed-up shareholder register");
        string documentCase;
        string documentId;
        await using (var host = new HostProcess(data, settings))
        {
            await host.StartAsync();
            using var applicant = await ClientAsync(host.BaseAddress, ScreeningFactory.Applicant);
            using var admin = await ClientAsync(host.BaseAddress, ScreeningFactory.Admin);
            for (var i = 0; i < 20; i++)
            {
                acknowledgedBeforeBackup.Add(await FileAsync(applicant));
            }

            documentCase = acknowledgedBeforeBackup.First();
            documentId = await applicant.UploadedAsync(documentCase, pdf, "register.pdf");

            using var stop = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await FileAsync(applicant);
                }
            });
            await Task.Delay(300);
            var response = await admin.PostAsync("/api/admin/backup", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            backup = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            await stop.CancelAsync();
            await load;
        }

        var directory = backup["directory"]!.GetValue<string>();
        Assert.Contains(TestDatabase.IsPostgreSql ? "screening.dump" : "screening.db", backup["files"]!.AsArray().Select(f => f!.GetValue<string>()));
        var restored = Path.Combine(Path.GetTempPath(), "screening-backup", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(restored);
        // As scripts/restore.sh does: the databases (on SQLite) into the data folder, the documents folder beside them.
        foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(restored, Path.GetRelativePath(directory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        if (TestDatabase.IsPostgreSql)
        {
            // As scripts/restore.sh does on PostgreSQL: pg_restore into the database the restored host runs on.
            PostgreSqlCluster.Instance.Restore(Path.Combine(directory, "screening.dump"), PostgreSqlCluster.DatabaseFor(restored));
        }

        Assert.True(backup["documents"]!.GetValue<int>() >= 1);
        var sha256 = TestDocuments.Sha256(pdf);
        Assert.True(File.Exists(Path.Combine(directory, "documents", sha256[..2], sha256)));

        await using var second = new HostProcess(restored, settings);
        await second.StartAsync();
        using var restoredAdmin = await ClientAsync(second.BaseAddress, ScreeningFactory.Admin);
        var consistency = (await restoredAdmin.GetFromJsonAsync<JsonNode>("/api/admin/consistency"))!;
        Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
        using var restoredApplicant = await ClientAsync(second.BaseAddress, ScreeningFactory.Applicant);
        foreach (var id in acknowledgedBeforeBackup)
        {
            Assert.Equal(HttpStatusCode.OK, (await restoredApplicant.GetAsync($"/api/cases/{id}")).StatusCode);
        }

        Assert.Equal(pdf, await restoredApplicant.GetByteArrayAsync($"/api/cases/{documentCase}/documents/{documentId}"));
        var listed = (await restoredApplicant.GetFromJsonAsync<JsonNode>($"/api/cases/{documentCase}/documents"))!.AsArray();
        Assert.Equal(sha256, Assert.Single(listed)!["sha256"]!.GetValue<string>());

        output.WriteLine($"backup of {backup["bytes"]} bytes; {consistency["instancesChecked"]} instances consistent after restore; audit entries {consistency["audit"]!["entries"]}");
    }

    private static async Task<string> FileAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/cases", Scenario.LowRiskCa());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
    }

    private static async Task<HttpClient> ClientAsync(Uri baseAddress, string email)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        var login = await client.PostAsJsonAsync("/api/auth/login", ScreeningFactory.Credentials(email));
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>());
        return client;
    }
}
