"""The report that leaves the room: the assessment's sections as one offline HTML file
(`html.report_html`) or one Excel workbook (`xlsx.report_xlsx`), both built from the same
worded content (`content.report_content`). No Streamlit here: the Overview page and the CLI
call these."""
