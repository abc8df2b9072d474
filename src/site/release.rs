//! A release's page of the changelog (front matter `layout: changelog`): the facts its
//! template shows above the changes, and its checklist, `checklist.md` beside the page,
//! the changes as a Markdown task list for the release's review, as upstream's
//! `changelog.checklist.md` output format makes it.

use crate::content::Page;

/// The file name of a release's checklist, beside its page.
pub const CHECKLIST: &str = "checklist.md";

/// A release's page: its revision, the link to it, its date and its checklist.
pub struct ReleasePage<'p> {
    page: &'p Page,
    /// `unstable`, or the release's `linkTitle` in lower case (`v1.19`).
    version: String,
}

impl<'p> ReleasePage<'p> {
    /// The page as a release's page, when its layout is `changelog`.
    pub fn of(page: &'p Page) -> Option<ReleasePage<'p>> {
        let params = &page.front.params;
        if params.get("layout").and_then(|l| l.as_str()) != Some("changelog") {
            return None;
        }
        let version = params
            .get("linkTitle")
            .and_then(|t| t.as_str())
            .or(page.front.title.as_deref())
            .unwrap_or_default()
            .to_lowercase();
        Some(ReleasePage { page, version })
    }

    fn unstable(&self) -> bool {
        self.version == "unstable"
    }

    /// The revision of the repository the release is: its tag (`v1.19`), or for the
    /// unreleased changes the commit their page was made at (`params.commit`).
    fn revision(&self) -> Option<String> {
        if !self.unstable() {
            return Some(self.version.clone()).filter(|v| !v.is_empty());
        }
        // A hash written unquoted may have been read as a number (`0012345` as 12345):
        // only a string names a commit.
        let commit = self.page.front.params.get("params")?.get("commit")?;
        commit.as_str().map(str::to_string)
    }

    /// `<repository>/tree/<revision>`, when the repository is known.
    pub fn commit_link(&self, repository: Option<&str>) -> Option<String> {
        Some(format!("{}/tree/{}", repository?, self.revision()?))
    }

    /// The release's date, long (`July 8, 2026`); the unreleased changes have none.
    pub fn date(&self) -> Option<String> {
        let date = self.page.front.params.get("date")?.as_str()?;
        (!self.unstable()).then(|| crate::calendar::long_date(date))?
    }

    /// The site path of its checklist (`changelog/v1.19/checklist.md`), when its front
    /// matter's `outputs` names `checklist`.
    pub fn checklist_path(&self) -> Option<String> {
        let outputs = self.page.front.params.get("outputs")?.as_array()?;
        outputs
            .iter()
            .any(|o| o.as_str() == Some("checklist"))
            .then(|| format!("{}{CHECKLIST}", self.page.url.trim_start_matches('/')))
    }

    /// The checklist: a heading, the release's facts (not for the unreleased changes),
    /// then the page's Markdown with each list item made a task.
    pub fn checklist(&self, site_title: &str, repository: Option<&str>) -> String {
        let title = self.page.front.title.as_deref().unwrap_or_default();
        let mut out = format!("# {site_title} {title}\n\n");
        if !self.unstable() {
            out.push_str("|   |   | \n|---|---|\n");
            if let Some(link) = self.commit_link(repository) {
                out.push_str(&format!("| Git commit | {link} |\n"));
            }
            if let Some(date) = self.date() {
                out.push_str(&format!("| Release date | {date} |\n"));
            }
        }
        out.push('\n');
        out.push_str(&self.page.body.replace("\n- ", "\n- [ ] "));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(front: &str, body: &str) -> Page {
        let text = format!("---\n{front}---\n{body}");
        let (front, offset) =
            crate::content::front_matter::split(&text, crate::source::FileId(0)).unwrap();
        Page {
            file: crate::source::FileId(0),
            key: "changelog/v1.19".into(),
            url: "/changelog/v1.19/".into(),
            rel: "content/changelog/v1.19.md".into(),
            section: false,
            front,
            body: text[offset..].to_string(),
            body_offset: offset,
            fragment: false,
        }
    }

    const RELEASE: &str = "title: v1.19 Changelog\nlinkTitle: v1.19\nlayout: changelog\noutputs:\n  - html\n  - checklist\ndate: 2026-07-08\n";

    #[test]
    fn a_release_has_its_tag_date_and_checklist() {
        let p = page(
            RELEASE,
            "\n**New Endpoints**\n\n- `GET /x`. ([#1](u))\n- Two.\n",
        );
        let r = ReleasePage::of(&p).unwrap();
        let repo = Some("https://github.com/o/r");
        assert_eq!(
            r.commit_link(repo).as_deref(),
            Some("https://github.com/o/r/tree/v1.19")
        );
        assert_eq!(r.commit_link(None), None);
        assert_eq!(r.date().as_deref(), Some("July 8, 2026"));
        assert_eq!(
            r.checklist_path().as_deref(),
            Some("changelog/v1.19/checklist.md")
        );
        assert_eq!(
            r.checklist("Matrix Specification", repo),
            "# Matrix Specification v1.19 Changelog\n\n|   |   | \n|---|---|\n\
             | Git commit | https://github.com/o/r/tree/v1.19 |\n| Release date | July 8, 2026 |\n\n\
             \n**New Endpoints**\n\n- [ ] `GET /x`. ([#1](u))\n- [ ] Two.\n"
        );
    }

    #[test]
    fn the_unreleased_changes_have_their_commit_and_no_date() {
        let front = "title: Changes since last release\nlinkTitle: Unstable\nlayout: changelog\ndate: 2026-07-08\nparams:\n  commit: \"abc1234\"\n";
        let p = page(front, "- One.\n");
        let r = ReleasePage::of(&p).unwrap();
        let link = r.commit_link(Some("https://github.com/o/r"));
        assert_eq!(link.as_deref(), Some("https://github.com/o/r/tree/abc1234"));
        assert_eq!(r.date(), None);
        assert_eq!(r.checklist_path(), None, "no checklist output asked for");
        assert!(ReleasePage::of(&page("title: x\n", "")).is_none());
    }
}
